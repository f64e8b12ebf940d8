import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';
import { decodeTile, tileContaining } from '../../test/tile-math.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function statusInTile(url: string, lampId: number): Promise<unknown> {
  const tile = decodeTile(new Uint8Array(await (await fetch(url)).arrayBuffer()));
  const lamps = tile.layers.streetlights!;
  for (let index = 0; index < lamps.length; index++) {
    const lamp = lamps.feature(index);
    if (lamp.id === lampId) return lamp.properties.status;
  }
  return undefined;
}

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('cached tiles and edits', () => {
  it('shows an edit on the next request, dropping only the tiles over the edited feature', async () => {
    const { rows } = await app.database.pool.query<{ id: number; lon: number; lat: number; status: string }>(
      `SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat, status FROM streetlights WHERE status = 'working' ORDER BY id LIMIT 1`,
    );
    const lamp = rows[0]!;
    const here = tileContaining(lamp.lon, lamp.lat, 16);
    const farAway = tileContaining(lamp.lon + 0.05, lamp.lat + 0.03, 16);
    const hereUrl = `${app.baseUrl}/tiles/streetlights/${here.z}/${here.x}/${here.y}.mvt`;
    const farUrl = `${app.baseUrl}/tiles/streetlights/${farAway.z}/${farAway.x}/${farAway.y}.mvt`;

    expect(await statusInTile(hereUrl, lamp.id)).toBe('working');
    await fetch(farUrl);
    expect(app.tileCache.get('streetlights', here)).toBeDefined();
    expect(app.tileCache.get('streetlights', farAway)).toBeDefined();

    try {
      await app.database.pool.query(`UPDATE streetlights SET status = 'out' WHERE id = $1`, [lamp.id]);
      await eventually(() => app.tileCache.get('streetlights', here) === undefined);
      expect(app.tileCache.get('streetlights', farAway)).toBeDefined();
      expect(await statusInTile(hereUrl, lamp.id)).toBe('out');
    } finally {
      await app.database.pool.query(`UPDATE streetlights SET status = $2 WHERE id = $1`, [lamp.id, lamp.status]);
    }
  });

  it('drops the tiles under both the old and the new place of a moved feature', async () => {
    const { rows } = await app.database.pool.query<{ id: number; lon: number; lat: number }>(
      `SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM trash_hotspots ORDER BY id LIMIT 1`,
    );
    const hotspot = rows[0]!;
    const [newLon, newLat] = [hotspot.lon + 0.02, hotspot.lat - 0.01];
    const before = tileContaining(hotspot.lon, hotspot.lat, 15);
    const after = tileContaining(newLon, newLat, 15);
    for (const tile of [before, after]) await fetch(`${app.baseUrl}/tiles/trash_hotspots/${tile.z}/${tile.x}/${tile.y}.mvt`);
    try {
      await app.database.pool.query(`UPDATE trash_hotspots SET geom = ST_SetSRID(ST_MakePoint($2, $3), 4326) WHERE id = $1`, [hotspot.id, newLon, newLat]);
      await eventually(() => !app.tileCache.get('trash_hotspots', before) && !app.tileCache.get('trash_hotspots', after));
    } finally {
      await app.database.pool.query(`UPDATE trash_hotspots SET geom = ST_SetSRID(ST_MakePoint($2, $3), 4326) WHERE id = $1`, [hotspot.id, hotspot.lon, hotspot.lat]);
    }
  });
});
