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
  numberMatched?: number;
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
    // Nothing lies at 1-3°E, 2-4°N: the city is at 117°E.
    ['streetlights', 'bbox=1,2,3,4', 'SELECT 0 AS n'],
    ['streetlights', 'status=out&bbox=1,2,3,4', 'SELECT 0 AS n'],
    ['streetlights', 'bbox=1,2,3,4&limit=5000', 'SELECT 0 AS n'],
    ['streetlights', 'offset=10000000', 'SELECT count(*)::int AS n FROM streetlights WHERE deleted_at IS NULL'],
    ['streetlights', 'offset=10000000&limit=5000', 'SELECT count(*)::int AS n FROM streetlights WHERE deleted_at IS NULL'],
    ['cases', 'datetime=1990-01-01T00:00:00Z/1990-12-31T00:00:00Z', `SELECT count(*)::int AS n FROM cases WHERE reported_at BETWEEN '1990-01-01Z' AND '1990-12-31Z'`],
    // Past the end of a filter: a page in the middle of a filtered query is not counted.
    ['streetlights', 'status=out&offset=10000000', undefined],
  ])('answers an empty page of %s?%s with a whole FeatureCollection and no next link', async (layerId, query, countSql) => {
    const response = await fetch(`${app.baseUrl}/ogc/collections/${layerId}/items?${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const body = JSON.parse(await response.text()) as FeatureCollection;
    expect(body.type).toBe('FeatureCollection');
    expect(body.features).toEqual([]);
    expect(body.numberReturned).toBe(0);
    const matched = countSql ? (await app.database.pool.query<{ n: number }>(countSql)).rows[0]!.n : undefined;
    expect(body.numberMatched).toBe(matched);
    expect(body.links.map((link) => link.rel)).not.toContain('next');
  });

  it('gives no next link on a full last page, and numberMatched on every page', async () => {
    const { rows } = await app.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM trash_hotspots WHERE deleted_at IS NULL');
    const total = rows[0]!.n;
    const whole = await getJson<FeatureCollection>(`/ogc/collections/trash_hotspots/items?limit=${total}`);
    expect(whole.body.numberReturned).toBe(total);
    expect(whole.body.numberMatched).toBe(total);
    expect(whole.body.links.map((link) => link.rel)).not.toContain('next');

    const first = await getJson<FeatureCollection>(`/ogc/collections/trash_hotspots/items?limit=${total - 1}`);
    expect(first.body.numberMatched).toBe(total);
    const next = first.body.links.find((link) => link.rel === 'next')!;
    const last = await getJson<FeatureCollection>(new URL(next.href).pathname + new URL(next.href).search);
    expect(last.body.numberReturned).toBe(1);
    expect(last.body.numberMatched).toBe(total);
    expect(last.body.links.map((link) => link.rel)).not.toContain('next');
  });

  it('counts numberMatched on the first page of a filter as the database does, and leaves it out further on', async () => {
    const { rows } = await app.database.pool.query<{ out: number; outHere: number }>(
      `SELECT count(*) FILTER (WHERE status = 'out')::int AS "out",
              count(*) FILTER (WHERE status = 'out' AND ST_Intersects(geom, ST_MakeEnvelope(116.99, 36.65, 117.01, 36.67, 4326)))::int AS "outHere"
       FROM streetlights WHERE deleted_at IS NULL`,
    );
    const out = await getJson<FeatureCollection>('/ogc/collections/streetlights/items?status=out&limit=5');
    expect(out.body.numberReturned).toBe(5);
    expect(out.body.numberMatched).toBe(rows[0]!.out);
    const outHere = await getJson<FeatureCollection>('/ogc/collections/streetlights/items?status=out&bbox=116.99,36.65,117.01,36.67&limit=5');
    expect(outHere.body.numberMatched).toBe(rows[0]!.outHere);
    const further = await getJson<FeatureCollection>('/ogc/collections/streetlights/items?status=out&bbox=116.99,36.65,117.01,36.67&limit=5&offset=5');
    expect(further.body.numberReturned).toBe(5);
    expect(further.body.numberMatched).toBeUndefined();
  });

  it('gives collections with a time field their temporal extent', async () => {
    const { rows } = await app.database.pool.query<{ earliest: Date; latest: Date }>(
      'SELECT min(reported_at) AS earliest, max(reported_at) AS latest FROM cases WHERE deleted_at IS NULL',
    );
    const cases = await getJson<{ extent: { temporal?: { interval: string[][]; trs: string } } }>('/ogc/collections/cases');
    expect(cases.body.extent.temporal!.interval).toEqual([[rows[0]!.earliest.toISOString(), rows[0]!.latest.toISOString()]]);
    expect(cases.body.extent.temporal!.trs).toBe('http://www.opengis.net/def/uri/ISO-8601/0/Gregorian');
    const lamps = await getJson<{ extent: { temporal?: unknown } }>('/ogc/collections/streetlights');
    expect(lamps.body.extent.temporal).toBeUndefined();
  });

  it.each([
    '0000-01-01',
    '0000-12-31T23:00:00Z/..',
    '../0000-01-01',
    '0001-01-01T00:00:00+01:00',
    '9999-12-31T23:00:00-05:00',
    '2026-02-30',
    '2026-02-29T10:00:00Z',
    '2026-04-31',
    '2026-13-01',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:60:00Z',
    '2026-01-01T10:00:61Z',
    '2026-01-01T10:00:00+25:00',
    '2026-09-01/2026-08-01',
    '2026-09-01/2026-09-02/2026-09-03',
  ])('rejects datetime=%s with a 400 naming datetime', async (datetime) => {
    const response = await fetch(`${app.baseUrl}/ogc/collections/cases/items?datetime=${encodeURIComponent(datetime)}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await response.json()) as { 'invalid-params': { name: string }[] };
    expect(problem['invalid-params'].map((p) => p.name)).toEqual(['datetime']);
  });

  it.each([
    ['2024-02-29T00:00:00Z/2024-03-01T00:00:00Z', `reported_at BETWEEN '2024-02-29Z' AND '2024-03-01Z'`],
    ['0001-01-01T00:00:00Z/..', `reported_at >= '0001-01-01Z'`],
    ['../9999-12-31T23:59:59Z', `reported_at <= '9999-12-31T23:59:59Z'`],
    ['2026-09-01T08:00:00+08:00/2026-09-01T20:00:00+08:00', `reported_at BETWEEN '2026-09-01T00:00:00Z' AND '2026-09-01T12:00:00Z'`],
  ])('takes datetime=%s, matching %s', async (datetime, condition) => {
    const { rows } = await app.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE deleted_at IS NULL AND ${condition}`);
    const { response, body } = await getJson<FeatureCollection>(`/ogc/collections/cases/items?datetime=${encodeURIComponent(datetime)}&limit=10000`);
    expect(response.status).toBe(200);
    expect(body.numberReturned).toBe(rows[0]!.n);
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
