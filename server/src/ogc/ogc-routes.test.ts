import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';
import { layers } from '../registry/layers.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

interface FeatureCollection {
  type: string;
  features: { id: number; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
  numberReturned: number;
  links: { rel: string; href: string }[];
}

const getJson = async <T>(path: string) => {
  const response = await fetch(`${app.baseUrl}${path}`);
  return { response, body: (await response.json()) as T };
};

describe('OGC API - Features', () => {
  it('has a landing page, conformance and one collection per registry layer', async () => {
    const landing = await getJson<{ links: { rel: string }[] }>('/ogc');
    expect(landing.body.links.map((link) => link.rel)).toEqual(expect.arrayContaining(['conformance', 'data', 'service-desc']));
    const conformance = await getJson<{ conformsTo: string[] }>('/ogc/conformance');
    expect(conformance.body.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core');
    const collections = await getJson<{ collections: { id: string; extent: { spatial: { bbox: number[][] } } }[] }>('/ogc/collections');
    expect(collections.body.collections.map((collection) => collection.id)).toEqual(layers.map((layer) => layer.id));
    for (const collection of collections.body.collections) expect(collection.extent.spatial.bbox[0]).toHaveLength(4);
  });

  it('pages items with limit and next links, and the pages add up to the table', async () => {
    const { rows } = await app.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM trash_hotspots WHERE deleted_at IS NULL');
    let path: string | undefined = '/ogc/collections/trash_hotspots/items?limit=100';
    const seen = new Set<number>();
    while (path) {
      const { response, body }: { response: Response; body: FeatureCollection } = await getJson<FeatureCollection>(path);
      expect(response.headers.get('content-type')).toMatch(/^application\/geo\+json/);
      for (const feature of body.features) seen.add(feature.id);
      const next: { href: string } | undefined = body.links.find((link) => link.rel === 'next');
      path = next ? new URL(next.href).pathname + new URL(next.href).search : undefined;
    }
    expect(seen.size).toBe(rows[0]!.n);
  });

  it('streams a large page with the same features as small pages', async () => {
    const large = await getJson<FeatureCollection>('/ogc/collections/streetlights/items?limit=2500&offset=100');
    expect(large.body.numberReturned).toBe(2500);
    const small = [];
    for (const offset of [100, 1100, 2100]) {
      const page = await getJson<FeatureCollection>(`/ogc/collections/streetlights/items?limit=1000&offset=${offset}`);
      small.push(...page.body.features.map((feature) => feature.id));
    }
    expect(large.body.features.map((feature) => feature.id)).toEqual(small.slice(0, 2500));
    expect(large.body.links.find((link) => link.rel === 'next')!.href).toContain('offset=2600');
  });

  it('ends the page\'s cursor when the client hangs up mid-page, so the next request is served', async () => {
    const { request } = await import('node:http');
    await new Promise<void>((resolve, reject) => {
      const outgoing = request(`${app.baseUrl}/ogc/collections/streetlights/items?limit=10000`, (response) => {
        response.once('data', () => {
          outgoing.destroy();
          resolve();
        });
      });
      outgoing.on('error', () => {});
      outgoing.on('timeout', () => reject(new Error('no first chunk')));
      outgoing.end();
    });
    const started = Date.now();
    const next = await getJson<FeatureCollection>('/ogc/collections/alleys/items?limit=5');
    expect(next.body.numberReturned).toBe(5);
    expect(Date.now() - started).toBeLessThan(10_000);
    const { rows } = await app.database.pool.query<{ open: boolean }>(
      `SELECT count(*) > 0 AS open FROM pg_cursors WHERE name = 'page_cursor'`,
    );
    expect(rows[0]!.open).toBe(false);
  });

  it('filters by bbox and property as PostGIS does', async () => {
    const bbox = [116.99, 36.65, 117.01, 36.67];
    const { rows } = await app.database.pool.query<{ id: number }>(
      `SELECT id FROM streetlights WHERE status = 'out' AND deleted_at IS NULL
         AND ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326)) ORDER BY id`,
      bbox,
    );
    const { body } = await getJson<FeatureCollection>(`/ogc/collections/streetlights/items?bbox=${bbox.join(',')}&status=out&limit=10000`);
    expect(body.features.map((feature) => feature.id)).toEqual(rows.map((row) => row.id));
    for (const feature of body.features) {
      expect(feature.geometry.type).toBe('Point');
      expect(feature.properties.status).toBe('out');
    }
  });

  it('filters by datetime on layers with a time', async () => {
    const { rows } = await app.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE reported_at >= '2026-09-01' AND reported_at <= '2026-09-30T23:59:59Z'`,
    );
    const { body } = await getJson<FeatureCollection>('/ogc/collections/cases/items?datetime=2026-09-01T00:00:00Z/2026-09-30T23:59:59Z&limit=10000');
    expect(body.numberReturned).toBe(rows[0]!.n);
  });

  it('returns one item with an ETag, and 404 for a missing one', async () => {
    const { response, body } = await getJson<FeatureCollection['features'][number]>('/ogc/collections/alleys/items/5');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"\d+"$/);
    expect(body.id).toBe(5);
    expect(body.geometry.type).toBe('LineString');
    expect(Number(body.properties.width_m)).toBeLessThan(10);
    for (const missing of ['99999999', 'abc', '1;DROP TABLE alleys']) {
      const answer = await fetch(`${app.baseUrl}/ogc/collections/alleys/items/${encodeURIComponent(missing)}`);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it.each([
    ['bbox=1,2,3', 'bbox'],
    ['bbox=0,91,1,92', 'bbox'],
    ['bbox=2,2,1,1', 'bbox'],
    ['bbox=a,b,c,d', 'bbox'],
    ['limit=0', 'limit'],
    ['limit=100001', 'limit'],
    ['limit=-5', 'limit'],
    ['offset=-1', 'offset'],
    ['status=exploded', 'status'],
    ['colour=red', 'colour'],
    ["status=out'%20OR%201=1--", 'status'],
    ['datetime=yesterday', 'datetime'],
    ['f=xml', 'f'],
  ])('rejects ?%s with a 400 naming %s', async (query, parameter) => {
    const response = await fetch(`${app.baseUrl}/ogc/collections/streetlights/items?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { 'invalid-params': { name: string }[] };
    expect(problem['invalid-params'].map((p) => p.name)).toContain(parameter);
  });
});
