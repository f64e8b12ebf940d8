/**
 * Loads the demo city into a throwaway database on the PostgreSQL/PostGIS server named by
 * TEST_DATABASE_URL (e.g. postgres://postgres:postgres@127.0.0.1:5432/) and checks the result
 * with independent SQL. Skipped when TEST_DATABASE_URL is unset.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCity } from './generate.ts';
import { DatabaseNotEmptyError, isDatabaseEmpty, loadDemoCity } from './load.ts';
import { layerTables, type LayerTable } from './rows.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  console.warn('data/demo-city/load.test.ts skipped: set TEST_DATABASE_URL to a PostgreSQL/PostGIS server URL to run it.');
}

const migrationsDirectory = fileURLToPath(new URL('../../migrations/', import.meta.url));

async function applyMigrations(pool: pg.Pool): Promise<void> {
  const files = (await readdir(migrationsDirectory)).filter((name) => name.endsWith('.sql')).sort();
  for (const file of files) await pool.query(await readFile(path.join(migrationsDirectory, file), 'utf8'));
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

describe.skipIf(!serverUrl)('loadDemoCity into a real database (TEST_DATABASE_URL)', () => {
  const databaseName = `demo_city_test_${randomBytes(4).toString('hex')}`;
  let pool: pg.Pool;
  let loaded: Record<LayerTable, number>;

  const count = async (sql: string): Promise<number> => Number((await pool.query<{ n: string }>(sql)).rows[0]?.n);
  const tableCounts = async () =>
    Object.fromEntries(await Promise.all(layerTables.map(async (table) => [table, await count(`SELECT count(*) AS n FROM ${table}`)])));

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${databaseName}`);
    const url = new URL(serverUrl as string);
    url.pathname = `/${databaseName}`;
    pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
    await pool.query('CREATE EXTENSION IF NOT EXISTS postgis');
    await applyMigrations(pool);
    expect(await isDatabaseEmpty(pool)).toBe(true);
    const startedAt = performance.now();
    loaded = await loadDemoCity(pool, {});
    console.info(`demo city, scale 1: loaded in ${((performance.now() - startedAt) / 1000).toFixed(2)} s`);
  }, 300_000);

  afterAll(async () => {
    await pool?.end();
    await adminQuery(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  });

  it('reports the rows it inserted, which match the generator and the published counts', async () => {
    expect(await tableCounts()).toEqual(loaded);
    expect(loaded).toEqual(generateCity().rowCounts());
    expect(await isDatabaseEmpty(pool)).toBe(false);
    expect(await count(`SELECT count(*) AS n FROM alleys WHERE width_m < 10`)).toBe(693);
    expect(await count(`SELECT count(*) AS n FROM alleys WHERE renovation IN ('completed', 'reinspected')`)).toBe(44);
    expect(await count(`SELECT count(*) AS n FROM roads WHERE lighting <> 'lit'`)).toBe(120);
    expect(await count(`SELECT count(*) AS n FROM trash_hotspots`)).toBe(295);
    expect(Math.abs((await count(`SELECT sum(volume_m3) AS n FROM trash_hotspots`)) - 35_000)).toBeLessThan(700);
    expect(await count(`SELECT count(*) AS n FROM vendor_zones WHERE kind = 'farmer_stall'`)).toBe(62);
    expect(await count(`SELECT count(*) AS n FROM vendor_zones WHERE kind IN ('tidal_stall', 'convenience_food')`)).toBe(505);
    expect(await count(`SELECT count(DISTINCT kind) AS n FROM vendor_zones WHERE kind IN ('outdoor_display', 'market_street')`)).toBe(2);
  });

  it('leaves 有路无灯 roads without lamps and every lamp of 有灯不亮 roads out', async () => {
    expect(
      await count(`SELECT count(*) AS n FROM streetlights l JOIN roads r ON r.id = l.road_id WHERE r.lighting = 'no_lamps'`),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*) AS n FROM streetlights l JOIN roads r ON r.id = l.road_id WHERE r.lighting = 'lamps_out' AND l.status <> 'out'`,
      ),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*) AS n FROM roads r WHERE r.lighting <> 'no_lamps' AND NOT EXISTS (SELECT 1 FROM streetlights l WHERE l.road_id = r.id)`,
      ),
    ).toBe(0);
  });

  it('stores only valid geometries', async () => {
    for (const table of layerTables) {
      expect(await count(`SELECT count(*) AS n FROM ${table} WHERE NOT ST_IsValid(geom)`), table).toBe(0);
    }
  });

  it('joins every alley to a road, and no alley cuts across one', async () => {
    expect(
      await count(
        `SELECT count(*) AS n FROM alleys a
         WHERE NOT EXISTS (
           SELECT 1 FROM roads r
           -- The bounding-box test (about 10 m of slack) spares most exact geodesic distances.
           WHERE r.geom && ST_Expand(a.geom, 0.0001) AND ST_DWithin(a.geom::geography, r.geom::geography, 1))`,
      ),
    ).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM alleys a JOIN roads r ON ST_Crosses(a.geom, r.geom)`)).toBe(0);
  });

  it('stands every lamp 3-6 m from its own road\'s centreline and inside the city', async () => {
    expect(
      await count(
        `SELECT count(*) AS n FROM streetlights l JOIN roads r ON r.id = l.road_id
         WHERE NOT ST_DWithin(l.geom::geography, r.geom::geography, 6.05) OR ST_DWithin(l.geom::geography, r.geom::geography, 2.95)`,
      ),
    ).toBe(0);
    expect(
      await count(
        `WITH city AS (SELECT ST_Union(geom) AS geom FROM districts)
         SELECT count(*) AS n FROM streetlights l, city WHERE NOT ST_Intersects(city.geom, l.geom)`,
      ),
    ).toBe(0);
  });

  it('measures road and alley lengths as PostGIS does', async () => {
    expect(await count(`SELECT max(abs(ST_Length(geom::geography) - length_m) / length_m) AS n FROM roads`)).toBeLessThan(0.005);
    expect(await count(`SELECT max(abs(ST_Length(geom::geography) - length_m)) AS n FROM alleys`)).toBeLessThan(2);
  });

  it('tiles the districts with grid cells and files each case under the cell that contains it', async () => {
    expect(
      await count(`SELECT count(*) AS n FROM grid_cells g JOIN districts d ON d.code = g.district WHERE NOT ST_CoveredBy(g.geom, d.geom)`),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*) AS n FROM cases c
         WHERE NOT EXISTS (SELECT 1 FROM grid_cells g WHERE g.code = c.grid_code AND ST_Intersects(g.geom, c.geom))`,
      ),
    ).toBe(0);
  });

  it('refuses to load over an existing city unless asked to replace it', async () => {
    await expect(loadDemoCity(pool, {})).rejects.toBeInstanceOf(DatabaseNotEmptyError);
    expect(await tableCounts()).toEqual(loaded);
  });

  it('rolls everything back when the load fails part way', async () => {
    const failure = new Error('stop after the roads');
    await expect(
      loadDemoCity(pool, {
        replace: true,
        scale: 0.05,
        onProgress(_done, _total, label) {
          if (label === 'streetlights') throw failure;
        },
      }),
    ).rejects.toBe(failure);
    expect(await tableCounts()).toEqual(loaded);
  });

  it('replaces the city, identities restarting from 1', async () => {
    const small = await loadDemoCity(pool, { replace: true, scale: 0.05, seed: 11 });
    expect(small).toEqual(generateCity({ scale: 0.05, seed: 11 }).rowCounts());
    expect(await tableCounts()).toEqual(small);
    expect(await count(`SELECT min(id) AS n FROM roads`)).toBe(1);
    expect(
      await count(`SELECT count(*) AS n FROM streetlights l LEFT JOIN roads r ON r.id = l.road_id WHERE r.id IS NULL`),
    ).toBe(0);
  });
});
