import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTile, tileContaining } from '../../test/tile-math.ts';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';
import { layers } from '../registry/layers.ts';
import { identifier } from './tile-sql.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const mvtGeometryTypeOf = { Point: 1, LineString: 2, Polygon: 3, MultiPolygon: 3 } as const;

/** A live feature of the layer and a point on it, chosen by the database, not by the test. */
async function sampleFeature(table: string) {
  const { rows } = await app.database.pool.query<{ id: number; lon: number; lat: number }>(
    `SELECT id, ST_X(p) AS lon, ST_Y(p) AS lat
     FROM (SELECT id, ST_PointOnSurface(geom) AS p FROM ${identifier(table)} WHERE deleted_at IS NULL ORDER BY id LIMIT 1 OFFSET 3) s`,
  );
  const row = rows[0];
  if (!row) throw new Error(`${table} has no rows`);
  return row;
}

describe('GET /tiles/{layer}/{z}/{x}/{y}.mvt', () => {
  it.each(layers.map((layer) => [layer.id, layer] as const))('serves %s with its features and properties', async (_id, layer) => {
    const feature = await sampleFeature(layer.table);
    const zoom = Math.max(layer.minzoom, 15);
    const { z, x, y } = tileContaining(feature.lon, feature.lat, zoom);
    const response = await fetch(`${app.baseUrl}/tiles/${layer.id}/${z}/${x}/${y}.mvt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(response.headers.get('etag')).toMatch(/^".+"$/);
    expect(response.headers.get('cache-control')).toContain('no-cache');

    const tile = decodeTile(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(tile.layers)).toEqual([layer.id]);
    const sourceLayer = tile.layers[layer.id]!;
    const decoded = Array.from({ length: sourceLayer.length }, (_, index) => sourceLayer.feature(index));
    expect(decoded.length).toBeGreaterThan(0);
    for (const candidate of decoded) expect(candidate.type).toBe(mvtGeometryTypeOf[layer.geometryType]);

    const match = decoded.find((candidate) => candidate.id === feature.id);
    expect(match, `feature ${feature.id} in its tile`).toBeDefined();
    const { rows } = await app.database.pool.query<{ feature: string }>(
      `SELECT to_json(t)::text AS feature FROM ${identifier(layer.table)} t WHERE id = $1`,
      [feature.id],
    );
    const stored = JSON.parse(rows[0]!.feature) as Record<string, unknown>;
    for (const field of layer.fields) {
      const expected = stored[field.name];
      if (expected === null) continue;
      if (field.type === 'number' || field.type === 'integer') expect(match!.properties[field.name]).toBeCloseTo(Number(expected), 6);
      else if (field.type === 'datetime') expect(Date.parse(String(match!.properties[field.name]))).toBe(Date.parse(String(expected)));
      else if (field.type === 'time') expect(String(expected)).toMatch(new RegExp(`^${match!.properties[field.name]}`));
      else expect(match!.properties[field.name]).toBe(expected);
    }
  });

  it('shows only the road classes the registry lets appear at a zoom', async () => {
    const classesAt = async (zoom: number) => {
      const { z, x, y } = tileContaining(117.0, 36.66, zoom);
      const tile = decodeTile(new Uint8Array(await (await fetch(`${app.baseUrl}/tiles/roads/${z}/${x}/${y}.mvt`)).arrayBuffer()));
      const roads = tile.layers.roads!;
      return new Set(Array.from({ length: roads.length }, (_, index) => roads.feature(index).properties.road_class));
    };
    expect([...(await classesAt(9))]).toEqual(['arterial']);
    expect(decodeTile(new Uint8Array(await (await fetch(`${app.baseUrl}/tiles/roads/7/105/50.mvt`)).arrayBuffer())).layers).toEqual({});
    expect([...(await classesAt(12))].sort()).toEqual(['arterial', 'secondary']);
    expect([...(await classesAt(14))].sort()).toEqual(['arterial', 'branch', 'secondary']);
  });

  it('gzips when asked and answers 304 to a matching If-None-Match', async () => {
    const feature = await sampleFeature('alleys');
    const { z, x, y } = tileContaining(feature.lon, feature.lat, 15);
    const url = `${app.baseUrl}/tiles/alleys/${z}/${x}/${y}.mvt`;
    const plain = Buffer.from(await (await fetch(url, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());

    // fetch() would inflate transparently; read the raw bytes through node:http instead.
    const { request } = await import('node:http');
    const zipped = await new Promise<{ encoding?: string; body: Buffer; etag?: string }>((resolve, reject) => {
      request(url, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks), etag: response.headers.etag }),
        );
      })
        .on('error', reject)
        .end();
    });
    expect(zipped.encoding).toBe('gzip');
    expect(gunzipSync(zipped.body).equals(plain)).toBe(true);

    // fetch() adds Cache-Control: no-cache to conditional requests unless one is given.
    const again = await fetch(url, { headers: { 'if-none-match': zipped.etag!, 'cache-control': 'max-age=0' } });
    expect(again.status).toBe(304);
  });

  it('answers an empty tile far from the city and outside a layer zoom range', async () => {
    const ocean = await fetch(`${app.baseUrl}/tiles/streetlights/15/0/0.mvt`);
    expect(ocean.status).toBe(200);
    expect((await ocean.arrayBuffer()).byteLength).toBe(0);
    const tooFar = await fetch(`${app.baseUrl}/tiles/streetlights/3/6/3.mvt`);
    expect(tooFar.status).toBe(200);
    expect((await tooFar.arrayBuffer()).byteLength).toBe(0);
  });

  it.each([
    ['/tiles/alleys/23/0/0.mvt', 'z'],
    ['/tiles/alleys/2/4/0.mvt', 'x'],
    ['/tiles/alleys/2/0/4.mvt', 'y'],
    ['/tiles/alleys/1.5/0/0.mvt', 'z'],
    ['/tiles/alleys/3/-1/0.mvt', 'x'],
    ['/tiles/alleys/3/0/abc.mvt', 'y'],
    ["/tiles/alleys/3/0/1;DROP TABLE alleys.mvt", 'y'],
  ])('rejects %s with a 400 problem naming %s', async (path, parameter) => {
    const response = await fetch(`${app.baseUrl}${path}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { status: number; 'invalid-params': { name: string }[] };
    expect(problem.status).toBe(400);
    expect(problem['invalid-params'].map((p) => p.name)).toContain(parameter);
  });

  it('answers 404 problem+json for an unknown layer', async () => {
    const response = await fetch(`${app.baseUrl}/tiles/pg_user/1/0/0.mvt`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const alleys = await app.database.pool.query('SELECT count(*)::int AS n FROM alleys');
    expect(alleys.rows[0].n).toBe(693);
  });
});

describe('GET /tiles/{layer}.json', () => {
  it('describes each layer as TileJSON 3.0.0 with its bounds around the city', async () => {
    const response = await fetch(`${app.baseUrl}/tiles/streetlights.json`);
    expect(response.status).toBe(200);
    const tilejson = (await response.json()) as {
      tilejson: string; tiles: string[]; minzoom: number; bounds: number[]; vector_layers: { id: string; fields: Record<string, string> }[];
    };
    expect(tilejson.tilejson).toBe('3.0.0');
    expect(tilejson.tiles[0]).toBe(`${app.baseUrl}/tiles/streetlights/{z}/{x}/{y}.mvt`);
    expect(tilejson.minzoom).toBe(13);
    expect(tilejson.vector_layers[0]!.id).toBe('streetlights');
    expect(Object.keys(tilejson.vector_layers[0]!.fields)).toContain('status');
    const [west, south, east, north] = tilejson.bounds as [number, number, number, number];
    expect(west).toBeLessThan(117);
    expect(east).toBeGreaterThan(117);
    expect(south).toBeLessThan(36.66);
    expect(north).toBeGreaterThan(36.66);
  });

  it('answers 404 for an unknown layer', async () => {
    expect((await fetch(`${app.baseUrl}/tiles/nothing.json`)).status).toBe(404);
  });
});
