import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testUser, type SignedIn } from '../../test/accounts.ts';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';
import { decodeTile, tileContaining } from '../../test/tile-math.ts';
import type { TileEncoder } from './encoders.ts';
import { layerExtents } from './layer-extents.ts';
import { TileCache } from './tile-cache.ts';
import { tileRoutes } from './tile-routes.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
/** Lamps these tests created, removed at the end: other test files expect the seeded city as it was. */
const createdLamps: number[] = [];
afterAll(async () => {
  for (const id of createdLamps) {
    await app.database.pool.query('DELETE FROM streetlights WHERE id = $1', [id]);
    await app.database.pool.query(`DELETE FROM audit_log WHERE layer = 'streetlights' AND feature_id = $1`, [id]);
  }
  await app.close();
});

/** The lamp's properties as the tile at `url` holds them; undefined when the tile lacks it. */
async function lampInTile(url: string, lampId: number): Promise<Record<string, unknown> | undefined> {
  const tile = decodeTile(new Uint8Array(await (await fetch(url)).arrayBuffer()));
  const lamps = tile.layers.streetlights;
  for (let index = 0; index < (lamps?.length ?? 0); index++) {
    const lamp = lamps!.feature(index);
    if (lamp.id === lampId) return lamp.properties;
  }
  return undefined;
}

async function statusInTile(url: string, lampId: number): Promise<unknown> {
  return (await lampInTile(url, lampId))?.status;
}

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('cached tiles and edits by other clients', () => {
  it('shows an edit made straight in the database once its notification arrives, dropping only the tiles over it', async () => {
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
      // Another client's write is heard only through LISTEN/NOTIFY, which may come a moment later.
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

  it('empties the cache when the change listener reconnects, since changes in between went unheard', async (context) => {
    if (app.database.engine !== 'postgres') context.skip('the embedded engine has no listening connection to lose');
    const { rows } = await app.database.pool.query<{ id: number; lon: number; lat: number; status: string }>(
      `SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat, status FROM streetlights WHERE status = 'working' ORDER BY id LIMIT 1 OFFSET 1`,
    );
    const lamp = rows[0]!;
    const here = tileContaining(lamp.lon, lamp.lat, 16);
    const hereUrl = `${app.baseUrl}/tiles/streetlights/${here.z}/${here.x}/${here.y}.mvt`;
    expect(await statusInTile(hereUrl, lamp.id)).toBe('working');
    try {
      const { rows: cut } = await app.database.pool.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'city-ops-listener' AND datname = current_database()`,
      );
      expect(cut.length).toBeGreaterThan(0);
      for (const { pid } of cut) await app.database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      // Nobody listens now: this change's notification is lost.
      await app.database.pool.query(`UPDATE streetlights SET status = 'out' WHERE id = $1`, [lamp.id]);
      await eventually(() => app.tileCache.get('streetlights', here) === undefined, 5000);
      expect(await statusInTile(hereUrl, lamp.id)).toBe('out');

      // Listening again: the next change is heard.
      await app.database.pool.query(`UPDATE streetlights SET status = 'repairing' WHERE id = $1`, [lamp.id]);
      await eventually(() => app.tileCache.get('streetlights', here) === undefined);
      expect(await statusInTile(hereUrl, lamp.id)).toBe('repairing');
    } finally {
      await app.database.pool.query(`UPDATE streetlights SET status = $2 WHERE id = $1`, [lamp.id, lamp.status]);
    }
  });
});

describe("cached tiles and the server's own edits", () => {
  // Notifications held back half a second: the server's own writes must not wait for them.
  let lateApp: RunningApp;
  let editor: SignedIn;
  beforeAll(async () => {
    lateApp = await startTestApp({ layerChangeDelayMs: 500 });
    const lighting = await testUser(lateApp.database.pool, 'lighting');
    editor = await signIn(lateApp.baseUrl, lighting.username, lighting.password);
  });
  afterAll(() => lateApp.close());

  it('shows each write on the very next tile request after its answer, 20 writes in a row', async () => {
    // Two places a z16 tile apart, far enough that neither lies in the other's tile buffer.
    const places = [
      [117.0003, 36.6605],
      [117.0103, 36.6605],
    ] as const;
    const urls = places.map(([lon, lat]) => {
      const { z, x, y } = tileContaining(lon, lat, 16);
      return `${lateApp.baseUrl}/tiles/streetlights/${z}/${x}/${y}.mvt`;
    });
    const write = async (method: string, path: string, body: unknown, etag: string) => {
      const response = await fetch(`${lateApp.baseUrl}${path}`, {
        method,
        headers: { ...editor.writeHeaders, 'if-match': etag },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
      return response;
    };
    const created = await fetch(`${lateApp.baseUrl}/ogc/collections/streetlights/items`, {
      method: 'POST',
      headers: editor.writeHeaders,
      body: JSON.stringify({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: places[0] },
        properties: { lamp_code: `T-${randomBytes(4).toString('hex')}`, status: 'working', power_w: 120 },
      }),
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: number }).id;
    createdLamps.push(id);
    let etag = created.headers.get('etag')!;
    // What the tiles should show: the lamp at places[at] with this status, or nowhere when deleted.
    let at = 0;
    let status = 'working';
    let deleted = false;
    const items = `/ogc/collections/streetlights/items/${id}`;

    for (let round = 0; round < 20; round++) {
      // Both tiles in the cache first, so only the write's own invalidation can make them fresh.
      for (const url of urls) await fetch(url);
      const kind = ['status', 'move', 'delete', 'restore'][round % 4];
      let response: Response;
      if (kind === 'status') {
        status = status === 'working' ? 'out' : 'working';
        response = await write('PATCH', items, { type: 'Feature', properties: { status } }, etag);
      } else if (kind === 'move') {
        at = 1 - at;
        response = await write('PATCH', items, { type: 'Feature', geometry: { type: 'Point', coordinates: places[at] } }, etag);
      } else if (kind === 'delete') {
        response = await write('DELETE', items, undefined, etag);
        deleted = true;
      } else {
        // The version before the deletion.
        const restoring = Number(/\d+/.exec(etag)![0]) - 1;
        response = await write('POST', `/api/features/streetlights/${id}/restore/${restoring}`, undefined, etag);
        deleted = false;
      }
      etag = response.headers.get('etag')!;
      const seen = [await lampInTile(urls[0]!, id), await lampInTile(urls[1]!, id)];
      const expected = [0, 1].map((place) => (!deleted && place === at ? status : undefined));
      expect(seen.map((properties) => properties?.status), `round ${round}: after ${kind}`).toEqual(expected);
    }
  });

  it('neither stores nor shares a tile whose encode began before its layer changed', async () => {
    // An encoder that holds its first tile until released, standing for a slow query that read
    // the data before a write committed.
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let encodes = 0;
    const encoder: TileEncoder = {
      name: 'node',
      async encode() {
        const encode = ++encodes;
        if (encode === 1) await firstHeld;
        return Buffer.from(`encode ${encode}`);
      },
    };
    const cache = new TileCache(2 ** 20);
    const server = createServer(express().use(tileRoutes(encoder, layerExtents(app.database.pool), cache))).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const address = tileContaining(117.0003, 36.6605, 16);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiles/streetlights/${address.z}/${address.x}/${address.y}.mvt`;
      const early = fetch(url).then((response) => response.text());
      // Should the test fail before awaiting it, the server's shutdown must not surface as a second error.
      early.catch(() => {});
      await eventually(() => encodes === 1);
      cache.invalidate('streetlights', [[117.0003, 36.6605, 117.0003, 36.6605]]);
      // Asked after the change: it must not wait for, and be handed, the encode from before it.
      const late = fetch(url).then((response) => response.text());
      const heldBack = new Promise((resolve) => setTimeout(() => resolve('still waiting for the held encode'), 2000));
      expect(await Promise.race([late, heldBack])).toBe('encode 2');
      releaseFirst();
      expect(await early).toBe('encode 1');
      expect(cache.get('streetlights', address)?.raw.toString()).toBe('encode 2');
    } finally {
      releaseFirst();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
