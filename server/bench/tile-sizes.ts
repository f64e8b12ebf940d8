/**
 * The largest tile of each layer at each zoom, where the city is densest (its centre), against
 * the 500 KB ceiling. Usage: DATABASE_URL=postgres://... npm run bench:sizes
 */
import pino from 'pino';
import { openDatabase } from '../src/db/engine.ts';
import { layers } from '../src/registry/layers.ts';
import { chooseTileEncoder } from '../src/tiles/encoders.ts';

const ceilingBytes = 500 * 1024;
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL/PostGIS holding the demo city (npm run seed -- --scale 100).');
  process.exit(2);
}
const database = await openDatabase({ databaseUrl, dataDir: 'unused', logger: pino({ level: 'warn' }) });
const encoder = await chooseTileEncoder(database);

/** The 3x3 tiles around the city centre at a zoom: the densest part of the demo city. */
function tilesAroundCentre(zoom: number) {
  const tilesPerSide = 2 ** zoom;
  const column = Math.floor(((117.0 + 180) / 360) * tilesPerSide);
  const radians = (36.66 * Math.PI) / 180;
  const row = Math.floor(((1 - Math.log(Math.tan(radians) + 1 / Math.cos(radians)) / Math.PI) / 2) * tilesPerSide);
  const around = [-1, 0, 1];
  return around.flatMap((dx) => around.map((dy) => ({ z: zoom, x: column + dx, y: row + dy }))).filter(
    ({ x, y }) => x >= 0 && y >= 0 && x < tilesPerSide && y < tilesPerSide,
  );
}

let over = 0;
console.log('largest tile (KB) by layer and zoom, 3x3 tiles around the centre');
console.log(`${'zoom'.padEnd(18)}${Array.from({ length: 17 }, (_, zoom) => String(zoom).padStart(6)).join('')}`);
for (const layer of layers) {
  const cells: string[] = [];
  for (let zoom = 0; zoom <= 16; zoom++) {
    if (zoom < layer.minzoom) {
      cells.push('-'.padStart(6));
      continue;
    }
    let largest = 0;
    for (const tile of tilesAroundCentre(zoom)) largest = Math.max(largest, (await encoder.encode(layer, tile)).length);
    if (largest > ceilingBytes) over++;
    cells.push(`${(largest / 1024).toFixed(0)}${largest > ceilingBytes ? '!' : ''}`.padStart(6));
  }
  console.log(`${layer.id.padEnd(18)}${cells.join('')}`);
}
console.log(over === 0 ? '\nevery tile is under 500 KB' : `\n${over} layer-zoom pairs have tiles over 500 KB (marked !)`);
await database.close();
process.exitCode = over === 0 ? 0 : 1;
