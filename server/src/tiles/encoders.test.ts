import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeTile, tileContaining } from '../../test/tile-math.ts';
import { ringOrientations, tileGeometryDistance } from '../../test/tile-geometry.ts';
import { testDatabase } from '../../test/test-app.ts';
import type { Database } from '../db/database.ts';
import { layers, type LayerDefinition } from '../registry/layers.ts';
import { nodeEncoder, postgisEncoder, type TileAddress, type TileEncoder } from './encoders.ts';
import { identifier, isClusteredAt } from './tile-sql.ts';

let database: Database;
let reference: pg.Pool | undefined;
beforeAll(() => {
  database = testDatabase();
  const referenceUrl = inject('referenceDatabaseUrl');
  if (referenceUrl) reference = new pg.Pool({ connectionString: referenceUrl, max: 2 });
});
afterAll(async () => {
  await database.close();
  await reference?.end();
});

/** Tiles at several zooms around a few features of the layer, chosen by the database. */
async function tilesAround(layer: LayerDefinition): Promise<TileAddress[]> {
  const { rows } = await database.pool.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
       SELECT ST_PointOnSurface(geom) AS p FROM ${identifier(layer.table)} WHERE deleted_at IS NULL ORDER BY id LIMIT 2
     ) s`,
  );
  const zooms = [...new Set([Math.max(layer.minzoom, 11), Math.max(layer.minzoom, 13), 15, 17])];
  return rows.flatMap((row) => zooms.map((zoom) => tileContaining(row.lon, row.lat, zoom)));
}

function decodedFeatures(bytes: Buffer, layerId: string) {
  const sourceLayer = decodeTile(bytes).layers[layerId];
  if (!sourceLayer) return new Map();
  const byId = new Map<number, ReturnType<typeof sourceLayer.feature>>();
  for (let index = 0; index < sourceLayer.length; index++) {
    const feature = sourceLayer.feature(index);
    byId.set(Number(feature.id), feature);
  }
  return byId;
}

async function expectSameTiles(expectedEncoder: TileEncoder, actualEncoder: TileEncoder) {
  let comparedFeatures = 0;
  for (const layer of layers) {
    for (const address of await tilesAround(layer)) {
      const expected = decodedFeatures(await expectedEncoder.encode(layer, address), layer.id);
      const actual = decodedFeatures(await actualEncoder.encode(layer, address), layer.id);
      const where = `${layer.id} ${address.z}/${address.x}/${address.y}`;
      expect([...actual.keys()].sort(), `${where}: feature ids`).toEqual([...expected.keys()].sort());
      for (const [id, expectedFeature] of expected) {
        const actualFeature = actual.get(id)!;
        expect(actualFeature.type, `${where} #${id} type`).toBe(expectedFeature.type);
        expect(actualFeature.properties, `${where} #${id} properties`).toEqual(expectedFeature.properties);
        const distance = tileGeometryDistance(expectedFeature.loadGeometry(), actualFeature.loadGeometry());
        expect(distance, `${where} #${id} geometry distance in tile units`).toBeLessThanOrEqual(1);
        if (expectedFeature.type === 3) {
          const count = (signs: number[], sign: number) => signs.filter((s) => s === sign).length;
          const expectedSigns = ringOrientations(expectedFeature);
          const actualSigns = ringOrientations(actualFeature);
          expect(count(actualSigns, 1), `${where} #${id} exterior rings`).toBe(count(expectedSigns, 1));
          expect(count(actualSigns, -1), `${where} #${id} holes`).toBe(count(expectedSigns, -1));
        }
        comparedFeatures++;
      }
    }
  }
  expect(comparedFeatures).toBeGreaterThan(100);
}

describe('tile encoders', () => {
  it('draws lamps as clusters below the cluster zoom, counting every lamp of the tile', async () => {
    const layer = layers.find((candidate) => candidate.id === 'streetlights')!;
    const encoder = nodeEncoder(database.pool, database.engine === 'postgres');
    const zoom = layer.clusterBelowZoom! - 2;
    const { z, x, y } = tileContaining(117.0, 36.66, zoom);
    const clusters = [...decodedFeatures(await encoder.encode(layer, { z, x, y }), layer.id).values()];
    const { rows } = await database.pool.query<{ inside: number; buffered: number }>(
      `SELECT count(*) FILTER (WHERE ST_Intersects(geom_3857, ST_TileEnvelope($1, $2, $3)))::int AS inside,
              count(*) FILTER (WHERE geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096))::int AS buffered
       FROM streetlights WHERE deleted_at IS NULL`,
      [z, x, y],
    );
    const counted = clusters.reduce((sum, cluster) => sum + Number(cluster.properties.point_count), 0);
    expect(rows[0]!.inside).toBeGreaterThan(100);
    expect(clusters.length).toBeLessThan(rows[0]!.inside);
    expect(counted).toBeGreaterThanOrEqual(rows[0]!.inside);
    expect(counted).toBeLessThanOrEqual(rows[0]!.buffered);
    for (const cluster of clusters) expect(['working', 'out', 'repairing']).toContain(cluster.properties.status);

    const single = [...decodedFeatures(await encoder.encode(layer, tileContaining(117.0, 36.66, layer.clusterBelowZoom!)), layer.id).values()];
    expect(single.every((feature) => feature.properties.point_count === undefined && feature.properties.lamp_code)).toBe(true);
  });

  it('the Node encoder writes the same tiles as ST_AsMVT (features, properties, geometry to one unit)', async (context) => {
    if (database.engine === 'postgres') {
      await expectSameTiles(postgisEncoder(database.pool), nodeEncoder(database.pool));
    } else if (reference) {
      // The same deterministic city in both engines: embedded tiles against a real PostGIS's.
      await expectSameTiles(postgisEncoder(reference), nodeEncoder(database.pool, false));
    } else {
      context.skip('needs a real PostGIS: set TEST_DATABASE_URL or REFERENCE_DATABASE_URL (.ci/run does)');
    }
  });

  it('the Node encoder puts exactly the points within the tile buffer, once snapped, into it', async () => {
    const encoder = nodeEncoder(database.pool, database.engine === 'postgres');
    const layer = layers.find((candidate) => candidate.id === 'streetlights')!;
    for (const address of (await tilesAround(layer)).filter((tile) => !isClusteredAt(layer, tile.z))) {
      // Independently of the encoder's SQL: each lamp's tile coordinates, worked out here.
      const { rows: lamps } = await database.pool.query<{ id: number; x: number; y: number }>(
        `SELECT id, ST_X(geom_3857) AS x, ST_Y(geom_3857) AS y FROM streetlights
         WHERE geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 0.1) AND deleted_at IS NULL`,
        [address.z, address.x, address.y],
      );
      const worldHalf = 20037508.342789244;
      const tileSize = (2 * worldHalf) / 2 ** address.z;
      const inBuffer = (units: number) => units >= -64 && units <= 4096 + 64;
      const rows = lamps.filter((lamp) =>
        inBuffer(Math.round(((lamp.x + worldHalf - address.x * tileSize) / tileSize) * 4096)) &&
        inBuffer(Math.round(((worldHalf - lamp.y - address.y * tileSize) / tileSize) * 4096)),
      );
      const decoded = decodedFeatures(await encoder.encode(layer, address), layer.id);
      expect([...decoded.keys()].sort()).toEqual(rows.map((row) => row.id).sort());
      expect(decoded.size).toBeGreaterThan(0);
    }
  });
});
