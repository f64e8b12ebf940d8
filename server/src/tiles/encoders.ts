import type pg from 'pg';
import { fromGeojsonVt, type GeojsonVtFeature } from 'vt-pbf';
import type { Database } from '../db/database.ts';
import type { LayerDefinition } from '../registry/layers.ts';
import { isClusteredAt, mvtTileQuery, tileExtent, tileGeometryQuery } from './tile-sql.ts';

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/** Builds one layer's tile as uncompressed MVT bytes; an empty buffer when nothing is there. */
export interface TileEncoder {
  readonly name: 'postgis' | 'node';
  encode(layer: LayerDefinition, tile: TileAddress): Promise<Buffer>;
}

type Queryable = Pick<pg.Pool, 'query'>;

/** Each layer's statement, built once: one for single features, one for clusters. */
function statementCache(build: (layer: LayerDefinition, clustered: boolean) => string, prefix: string) {
  const statements = new Map<string, { name: string; text: string }>();
  return (layer: LayerDefinition, zoom: number) => {
    const clustered = isClusteredAt(layer, zoom);
    const name = `${prefix}_${layer.id}${clustered ? '_clustered' : ''}`;
    let statement = statements.get(name);
    if (!statement) statements.set(name, (statement = { name, text: build(layer, clustered) }));
    return statement;
  };
}

export function postgisEncoder(database: Queryable): TileEncoder {
  const statementFor = statementCache(mvtTileQuery, 'tile_mvt');
  return {
    name: 'postgis',
    async encode(layer, { z, x, y }) {
      const { name, text } = statementFor(layer, z);
      // A named statement is planned once per connection; the planner then never picks the
      // parallel sequential scans that made small tiles 30x slower over the simple protocol.
      const result = await database.query<{ mvt: Buffer | null }>({ name, text, values: [z, x, y] });
      return result.rows[0]?.mvt ?? Buffer.alloc(0);
    },
  };
}

interface TileGeometryRow {
  id: number;
  geometry: string;
  [property: string]: unknown;
}

type TileSpaceGeometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'MultiPoint'; coordinates: number[][] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

/** The geojson-vt shape vt-pbf writes: a feature type and its rings, lines or points. */
function featureGeometry(geometry: TileSpaceGeometry): Pick<GeojsonVtFeature, 'type' | 'geometry'> {
  switch (geometry.type) {
    case 'Point':
      return { type: 1, geometry: [geometry.coordinates] };
    case 'MultiPoint':
      return { type: 1, geometry: geometry.coordinates };
    case 'LineString':
      return { type: 2, geometry: [geometry.coordinates] };
    case 'MultiLineString':
      return { type: 2, geometry: geometry.coordinates };
    case 'Polygon':
      return { type: 3, geometry: geometry.coordinates };
    case 'MultiPolygon':
      return { type: 3, geometry: geometry.coordinates.flat() };
  }
}

function featureTags(row: TileGeometryRow): GeojsonVtFeature['tags'] {
  const tags: GeojsonVtFeature['tags'] = {};
  for (const [name, value] of Object.entries(row)) {
    if (name === 'id' || name === 'geometry') continue;
    // ST_AsMVT leaves NULLs out; so do we.
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') tags[name] = value;
  }
  return tags;
}

/**
 * @param namedStatements plan each layer's query once per connection. Off for the embedded
 *   engine: its socket connections share one session, where a second connection's Parse of the
 *   same statement name would fail.
 */
export function nodeEncoder(database: Queryable, namedStatements = true): TileEncoder {
  const statementFor = statementCache(tileGeometryQuery, 'tile_geometry');
  return {
    name: 'node',
    async encode(layer, { z, x, y }) {
      const { name, text } = statementFor(layer, z);
      const result = await database.query<TileGeometryRow>({ name: namedStatements ? name : undefined, text, values: [z, x, y] });
      if (result.rows.length === 0) return Buffer.alloc(0);
      const features: GeojsonVtFeature[] = result.rows.map((row) => ({
        id: row.id,
        ...featureGeometry(JSON.parse(row.geometry) as TileSpaceGeometry),
        tags: featureTags(row),
      }));
      const bytes = fromGeojsonVt({ [layer.id]: { features } }, { version: 2, extent: tileExtent });
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}

/** ST_AsMVT where PostGIS was built with protobuf, the Node encoder where it was not. */
export async function chooseTileEncoder(database: Pick<Database, 'pool' | 'engine'>): Promise<TileEncoder> {
  const { rows } = await database.pool.query<{ protobuf: boolean }>(
    `SELECT postgis_full_version() LIKE '%PROTOBUF%' AS protobuf`,
  );
  return rows[0]?.protobuf ? postgisEncoder(database.pool) : nodeEncoder(database.pool, database.engine === 'postgres');
}
