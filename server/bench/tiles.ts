/**
 * Tile benchmark: the same fixed list of tiles (z10-z16 across the city), measured side by side
 * in one run, so a shared, noisy machine still gives comparable ratios:
 *   1. raw: the tile queries straight through `pg`, as many in flight as the HTTP load has;
 *   2. /tiles: our endpoint, served by a separate server process, under autocannon.
 * Usage: DATABASE_URL=postgres://... npm run bench [-- --seconds 15 --concurrency 16,64 --layer streetlights]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import pino from 'pino';
import { openDatabase } from '../src/db/engine.ts';
import { findLayer } from '../src/registry/layers.ts';
import { chooseTileEncoder, type TileAddress } from '../src/tiles/encoders.ts';

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    concurrency: { type: 'string', default: '16,64' },
    layer: { type: 'string', default: 'streetlights' },
  },
});
const seconds = Number(options.seconds);
const concurrencies = options.concurrency.split(',').map(Number);
const layer = findLayer(options.layer);
if (!layer) throw new Error(`unknown layer ${options.layer}`);

const logger = pino({ level: 'warn' });
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL/PostGIS holding the demo city (npm run seed -- --scale 100).');
  process.exit(2);
}
const database = await openDatabase({ databaseUrl, dataDir: 'unused', logger });

/** ~100 tiles from z10 to z16 that hold the layer's features, chosen the same way every run. */
async function fixedTileList(): Promise<TileAddress[]> {
  const list: TileAddress[] = [];
  for (let zoom = 10; zoom <= 16; zoom++) {
    const { rows } = await database.pool.query<{ x: number; y: number }>(
      `WITH samples AS (
         SELECT geom_3857 FROM ${layer!.table} WHERE deleted_at IS NULL AND id % 97 = 0 ORDER BY id LIMIT 2000
       )
       SELECT DISTINCT
         floor((ST_X(ST_Centroid(geom_3857)) + 20037508.342789244) / (40075016.68557849 / 2 ^ $1))::int AS x,
         floor((20037508.342789244 - ST_Y(ST_Centroid(geom_3857))) / (40075016.68557849 / 2 ^ $1))::int AS y
       FROM samples ORDER BY x, y LIMIT 15`,
      [zoom],
    );
    list.push(...rows.map(({ x, y }) => ({ z: zoom, x, y })));
  }
  return list;
}

interface Measured {
  tilesPerSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? NaN;
}

async function measureRaw(tiles: TileAddress[], concurrency: number): Promise<Measured> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: Math.min(concurrency, 16) });
  const encoder = await chooseTileEncoder({ pool, engine: 'postgres' });
  const latencies: number[] = [];
  let next = 0;
  const endAt = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < endAt) {
        const tile = tiles[next++ % tiles.length]!;
        const started = performance.now();
        await encoder.encode(layer!, tile);
        latencies.push(performance.now() - started);
      }
    }),
  );
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { tilesPerSecond: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startServer(port: number, environment: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEMO_MODE: 'off', LOG_LEVEL: 'warn', ...environment },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  child.kill();
  throw new Error('the server did not start');
}

async function measureEndpoint(port: number, tiles: TileAddress[], concurrency: number, gzip: boolean): Promise<Measured> {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: concurrency,
    duration: seconds,
    headers: gzip ? { 'accept-encoding': 'gzip' } : {},
    requests: [
      {
        setupRequest: (request) => {
          const { z, x, y } = tiles[next++ % tiles.length]!;
          return { ...request, path: `/tiles/${layer!.id}/${z}/${x}/${y}.mvt` };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { tilesPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const format = (measured: Measured) =>
  `${measured.tilesPerSecond.toFixed(0).padStart(7)} tiles/s   p50 ${measured.p50.toFixed(1).padStart(6)} ms   p99 ${measured.p99.toFixed(1).padStart(6)} ms`;

const tiles = await fixedTileList();
const counts = await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${layer.table}`);
console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
console.log(`layer ${layer.id} (${counts.rows[0]!.n} rows), ${tiles.length} tiles z10-z16, ${seconds} s per measurement\n`);

const port = await freePort();
const server = await startServer(port, { DATABASE_URL: databaseUrl });
try {
  for (const concurrency of concurrencies) {
    const raw = await measureRaw(tiles, concurrency);
    const endpoint = await measureEndpoint(port, tiles, concurrency, false);
    const endpointGzip = await measureEndpoint(port, tiles, concurrency, true);
    console.log(`concurrency ${concurrency}`);
    console.log(`  (1) raw SQL through pg      ${format(raw)}`);
    console.log(`  (2) /tiles, no gzip         ${format(endpoint)}`);
    console.log(`  (2g) /tiles, gzip           ${format(endpointGzip)}`);
    console.log(`  ratio (2)/(1) = ${(endpoint.tilesPerSecond / raw.tilesPerSecond).toFixed(2)}  (target >= 0.85)\n`);
  }
} finally {
  server.kill('SIGTERM');
  await database.close();
}
