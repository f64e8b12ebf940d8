/**
 * Loads the demo city into the layer tables in one transaction: all of it or none of it.
 *
 * Rows go in batches as `INSERT ... SELECT ... FROM unnest($1::text[], ...)`: one statement and
 * one round trip per 5,000 rows, with geometry passed as WKT (or lon/lat arrays for points)
 * and built by PostGIS. Plain SQL only, no COPY, so the same code runs on a real PostgreSQL and
 * on the embedded PGlite engine.
 */
import type pg from 'pg';
import { findLayer } from '../../server/src/registry/layers.ts';
import { generateCity, type CityOptions } from './generate.ts';
import type { Position } from './projection.ts';
import {
  layerTables,
  type LayerRows,
  type LayerTable,
  type LineStringGeometry,
  type MultiPolygonGeometry,
  type PointGeometry,
  type PolygonGeometry,
} from './rows.ts';

export interface LoadOptions extends CityOptions {
  /** Empty the layer tables first (TRUNCATE ... RESTART IDENTITY CASCADE), in the same transaction. */
  replace?: boolean;
  onProgress?: (done: number, total: number, label: string) => void;
}

export const rowsPerStatement = 5000;

type SqlType = 'text' | 'float8' | 'int4' | 'timestamptz' | 'time' | 'int8';

interface Column<Row> {
  name: string;
  type: SqlType;
  value: (row: Row) => string | number | null;
}

interface TableInsert<Row> {
  columns: Column<Row>[];
  /** Points travel as two float arrays; lines and polygons as WKT. */
  geometry: 'point' | 'wkt';
}

type TableInserts = { [Table in LayerTable]: TableInsert<LayerRows[Table]> };

export class DatabaseNotEmptyError extends Error {}

function coordinateText([lon, lat]: Position): string {
  return `${lon} ${lat}`;
}

function ringText(ring: Position[]): string {
  return `(${ring.map(coordinateText).join(',')})`;
}

function wktOf(geometry: LineStringGeometry | PolygonGeometry | MultiPolygonGeometry): string {
  switch (geometry.type) {
    case 'LineString':
      return `LINESTRING(${geometry.coordinates.map(coordinateText).join(',')})`;
    case 'Polygon':
      return `POLYGON(${geometry.coordinates.map(ringText).join(',')})`;
    case 'MultiPolygon':
      return `MULTIPOLYGON(${geometry.coordinates.map((polygon) => `(${polygon.map(ringText).join(',')})`).join(',')})`;
  }
}

function column<Row>(name: string, type: SqlType, value: (row: Row) => string | number | null): Column<Row> {
  return { name, type, value };
}

/**
 * Columns to fill, as in migrations/0001_layers.sql; id, geom_3857, version and the timestamps
 * are left to their defaults and generated expressions.
 */
function tableInserts(roadIds: number[]): TableInserts {
  const districtColumn = column<{ district: string }>('district', 'text', (row) => row.district);
  return {
    districts: {
      geometry: 'wkt',
      columns: [
        column('code', 'text', (row) => row.code),
        column('name', 'text', (row) => row.name),
        column('name_en', 'text', (row) => row.name_en),
      ],
    },
    grid_cells: {
      geometry: 'wkt',
      columns: [
        column('code', 'text', (row) => row.code),
        districtColumn,
        column('responsible_unit', 'text', (row) => row.responsible_unit),
      ],
    },
    roads: {
      geometry: 'wkt',
      columns: [
        column('name', 'text', (row) => row.name),
        column('road_class', 'text', (row) => row.road_class),
        column('width_m', 'float8', (row) => row.width_m),
        column('length_m', 'float8', (row) => row.length_m),
        column('lighting', 'text', (row) => row.lighting),
        districtColumn,
      ],
    },
    alleys: {
      geometry: 'wkt',
      columns: [
        column('name', 'text', (row) => row.name),
        column('width_m', 'float8', (row) => row.width_m),
        column('length_m', 'float8', (row) => row.length_m),
        column('renovation', 'text', (row) => row.renovation),
        column('problems', 'text', (row) => row.problems),
        districtColumn,
      ],
    },
    streetlights: {
      geometry: 'point',
      columns: [
        column('lamp_code', 'text', (row) => row.lamp_code),
        column('status', 'text', (row) => row.status),
        column('power_w', 'int4', (row) => row.power_w),
        column('road_id', 'int8', (row) => {
          const id = roadIds[row.road_index];
          if (id === undefined) throw new Error(`lamp ${row.lamp_code} refers to road ${row.road_index}, not loaded`);
          return id;
        }),
      ],
    },
    trash_hotspots: {
      geometry: 'point',
      columns: [
        column('kind', 'text', (row) => row.kind),
        column('volume_m3', 'float8', (row) => row.volume_m3),
        column('status', 'text', (row) => row.status),
        column('reported_at', 'timestamptz', (row) => row.reported_at),
        districtColumn,
      ],
    },
    vendor_zones: {
      geometry: 'wkt',
      columns: [
        column('name', 'text', (row) => row.name),
        column('kind', 'text', (row) => row.kind),
        column('permit', 'text', (row) => row.permit),
        column('opens_at', 'time', (row) => row.opens_at),
        column('closes_at', 'time', (row) => row.closes_at),
        column('capacity', 'int4', (row) => row.capacity),
        districtColumn,
      ],
    },
    restricted_areas: {
      geometry: 'wkt',
      columns: [column('name', 'text', (row) => row.name), column('kind', 'text', (row) => row.kind), districtColumn],
    },
    cases: {
      geometry: 'point',
      columns: [
        column('case_no', 'text', (row) => row.case_no),
        column('source', 'text', (row) => row.source),
        column('category', 'text', (row) => row.category),
        column('status', 'text', (row) => row.status),
        column('reported_at', 'timestamptz', (row) => row.reported_at),
        column('due_at', 'timestamptz', (row) => row.due_at),
        column('grid_code', 'text', (row) => row.grid_code),
      ],
    },
  };
}

/** Table names come from the layer registry, the one place that names them. */
function tableNameOf(layer: LayerTable): string {
  const definition = findLayer(layer);
  if (!definition) throw new Error(`layer ${layer} is not in the registry`);
  return definition.table;
}

/**
 * One INSERT for a whole batch. WITH ORDINALITY ... ORDER BY makes rows receive identity ids
 * in batch order, which is how lamps find the ids of their roads.
 */
function batchInsertSql<Row>(table: string, insert: TableInsert<Row>, returnIds: boolean): string {
  const names = insert.columns.map((entry) => entry.name);
  const inputs = insert.geometry === 'point' ? ['lon', 'lat'] : ['wkt'];
  const arrayTypes = [...insert.columns.map((entry) => entry.type), ...(insert.geometry === 'point' ? ['float8', 'float8'] : ['text'])];
  const parameters = arrayTypes.map((type, i) => `$${i + 1}::${type}[]`);
  const geometry =
    insert.geometry === 'point' ? 'ST_SetSRID(ST_MakePoint(batch.lon, batch.lat), 4326)' : 'ST_GeomFromText(batch.wkt, 4326)';
  return `INSERT INTO ${table} (${names.join(', ')}, geom)
SELECT ${names.map((name) => `batch.${name}`).join(', ')}, ${geometry}
FROM unnest(${parameters.join(', ')}) WITH ORDINALITY AS batch(${[...names, ...inputs, 'ordinality'].join(', ')})
ORDER BY batch.ordinality${returnIds ? '\nRETURNING id' : ''}`;
}

function batchParameters<Row extends { geometry: PointGeometry | LineStringGeometry | PolygonGeometry | MultiPolygonGeometry }>(
  insert: TableInsert<Row>,
  rows: Row[],
): unknown[][] {
  const values = insert.columns.map((entry) => rows.map(entry.value));
  if (insert.geometry === 'point') {
    const points = rows.map((row) => (row.geometry as PointGeometry).coordinates);
    return [...values, points.map(([lon]) => lon), points.map(([, lat]) => lat)];
  }
  return [...values, rows.map((row) => wktOf(row.geometry as Exclude<typeof row.geometry, PointGeometry>))];
}

function* inBatches<Row>(rows: Iterable<Row>, size: number): Generator<Row[]> {
  let batch: Row[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export async function isDatabaseEmpty(pool: pg.Pool): Promise<boolean> {
  const result = await pool.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${tableNameOf('districts')}) AS empty`);
  return result.rows[0]?.empty ?? true;
}

export async function loadDemoCity(pool: pg.Pool, options: LoadOptions = {}): Promise<Record<LayerTable, number>> {
  const city = generateCity({ seed: options.seed, scale: options.scale });
  const expected = city.rowCounts();
  const total = Object.values(expected).reduce((sum, count) => sum + count, 0);
  const loaded = Object.fromEntries(layerTables.map((table) => [table, 0])) as Record<LayerTable, number>;
  const roadIds: number[] = [];
  const inserts = tableInserts(roadIds);
  let done = 0;

  const client = await pool.connect();
  let connectionBroken = false;
  try {
    await client.query('BEGIN');
    if (options.replace) {
      await client.query(`TRUNCATE ${layerTables.map(tableNameOf).join(', ')} RESTART IDENTITY CASCADE`);
    } else {
      const existing = await client.query(`SELECT 1 FROM ${tableNameOf('districts')} LIMIT 1`);
      if (existing.rowCount) throw new DatabaseNotEmptyError('the layer tables already hold a city; load with replace to overwrite it');
    }
    for (const table of layerTables) {
      const insert = inserts[table] as TableInsert<LayerRows[typeof table]>;
      const sql = batchInsertSql(tableNameOf(table), insert, table === 'roads');
      for (const batch of inBatches(city.layers[table]() as Iterable<LayerRows[typeof table]>, rowsPerStatement)) {
        const result = await client.query<{ id: string | number }>(sql, batchParameters(insert, batch));
        if (table === 'roads') {
          // Identity values are handed out in insert order, so sorted ids follow the batch order.
          roadIds.push(...result.rows.map((row) => Number(row.id)).sort((a, b) => a - b));
        }
        loaded[table] += result.rowCount ?? 0;
        done += batch.length;
        options.onProgress?.(done, total, table);
      }
      // Fresh statistics, so the first tile queries after a load get sensible plans.
      await client.query(`ANALYZE ${tableNameOf(table)}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      connectionBroken = true;
    });
    throw error;
  } finally {
    // A connection that could not even roll back is discarded rather than handed to the next user.
    client.release(connectionBroken);
  }
  return loaded;
}
