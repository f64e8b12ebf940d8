import type pg from 'pg';
import { appendAudit, snapshotAt } from '../audit/audit-log.ts';
import type { User } from '../auth/accounts.ts';
import { HttpProblem, notFound } from '../http/problem.ts';
import type { LayerDefinition } from '../registry/layers.ts';
import type { Bounds } from '../tiles/layer-extents.ts';
import { identifier, sqlTypeOf } from '../tiles/tile-sql.ts';
import { rejectIfProblems, unprocessable, type FeatureInput } from './feature-input.ts';
import { featureJson, propertiesLateral } from './items-query.ts';

/** A feature as written: its GeoJSON text and the version its ETag names. */
export interface WrittenFeature {
  id: number;
  version: number;
  feature: string;
  /** WGS 84 boxes of the feature before and after the write: the cached tiles under them are stale. */
  boxes: Bounds[];
}

const preconditionFailed = (current: number) =>
  new HttpProblem(412, 'Precondition Failed', `The feature changed since it was read: it is now at version ${current}. Reload it and apply the edit again.`);

/** GeoJSON in, the layer's geometry out: SRID 4326, and a polygon promoted where the layer holds multipolygons. */
function geometryExpression(layer: LayerDefinition, placeholder: string): string {
  const geometry = `ST_SetSRID(ST_GeomFromGeoJSON(${placeholder}), 4326)`;
  return layer.geometryType === 'MultiPolygon' ? `ST_Multi(${geometry})` : geometry;
}

/** Column assignments of a write, derived fields included when the geometry changes. */
function assignments(layer: LayerDefinition, input: FeatureInput, values: unknown[]): { column: string; value: string }[] {
  const parameter = (value: unknown) => `$${values.push(value)}`;
  const result: { column: string; value: string }[] = [];
  let geometry: string | undefined;
  if (input.geometry) {
    geometry = geometryExpression(layer, parameter(JSON.stringify(input.geometry)));
    result.push({ column: 'geom', value: geometry });
  }
  for (const [field, value] of input.properties) {
    result.push({ column: identifier(field.name), value: `${parameter(value)}::${sqlTypeOf[field.type]}` });
  }
  for (const field of layer.fields.filter((candidate) => candidate.derived === 'geometryLength')) {
    if (geometry) result.push({ column: identifier(field.name), value: `ST_Length((${geometry})::geography)` });
  }
  return result;
}

/** The property a table constraint guards, from PostgreSQL's `<table>_<column>_check` naming. */
function propertyOfConstraint(layer: LayerDefinition, constraint: string | undefined): string {
  const column = constraint?.startsWith(`${layer.table}_`) ? constraint.slice(layer.table.length + 1).replace(/_(check|fkey)$/, '') : undefined;
  return column && layer.fields.some((field) => field.name === column) ? `properties.${column}` : 'properties';
}

/**
 * PostgreSQL's reasons for refusing a row, as the 422 or 409 a client can act on. The checks
 * before the write should leave none of these; this is the net under them.
 */
function problemFromDatabase(layer: LayerDefinition, error: unknown): HttpProblem | undefined {
  const failure = error as { code?: string; column?: string; constraint?: string; detail?: string; message?: string };
  const code = failure.code ?? '';
  if (code === '23505') return new HttpProblem(409, 'Conflict', `Another feature already has this value (${failure.constraint}).`);
  if (code === '23502') return unprocessable('A required property is missing.', [{ name: `properties.${failure.column}`, reason: 'is required' }]);
  if (code === '23503') {
    return unprocessable('A property refers to something that does not exist.', [
      { name: propertyOfConstraint(layer, failure.constraint), reason: failure.detail ?? 'refers to a missing row' },
    ]);
  }
  // Integrity (23) and data (22) errors, and PostGIS's own (XX000), all say the value is wrong.
  if (code.startsWith('23') || code.startsWith('22') || code === 'XX000') {
    return unprocessable('The feature cannot be stored.', [{ name: propertyOfConstraint(layer, failure.constraint), reason: failure.message ?? 'invalid value' }]);
  }
  return undefined;
}

/** Runs a write in one transaction on one connection; any failure leaves the database as it was. */
async function inTransaction<T>(pool: pg.Pool, layer: LayerDefinition, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw problemFromDatabase(layer, error) ?? error;
  } finally {
    client.release();
  }
}

/**
 * ST_IsValid asked of the geometry before it goes near the table; PostGIS's reason joins the
 * problems found without the database, and any problem at all refuses the write.
 */
async function requireValidFeature(client: pg.PoolClient, layer: LayerDefinition, input: FeatureInput): Promise<void> {
  if (input.geometry && input.geometryCheckable) {
    const { rows } = await client.query<{ valid: boolean; reason: string }>(
      `SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ST_GeomFromGeoJSON($1) AS g) s`,
      [JSON.stringify(input.geometry)],
    );
    if (!rows[0]!.valid) input.problems.push({ name: 'geometry', reason: rows[0]!.reason });
  }
  rejectIfProblems(layer, input);
}

function snapshotSql(layer: LayerDefinition, includeDeleted = false): string {
  return `SELECT ${featureJson}, t.version, t.deleted_at IS NOT NULL AS deleted,
      json_build_array(ST_XMin(t.geom), ST_YMin(t.geom), ST_XMax(t.geom), ST_YMax(t.geom)) AS box
    FROM ${identifier(layer.table)} t ${propertiesLateral(layer)}
    WHERE t.id = $1 ${includeDeleted ? '' : 'AND t.deleted_at IS NULL'}
    FOR UPDATE OF t`;
}

/** Whether the layer holds this feature at all, deleted or not: its history is still there. */
export async function featureExists(pool: Pick<pg.Pool, 'query'>, layer: LayerDefinition, id: number): Promise<boolean> {
  const { rows } = await pool.query(`SELECT 1 FROM ${identifier(layer.table)} WHERE id = $1`, [id]);
  return rows.length > 0;
}

async function lockedFeature(client: pg.PoolClient, layer: LayerDefinition, id: number, includeDeleted = false) {
  const { rows } = await client.query<{ feature: string; version: number; deleted: boolean; box: Bounds }>(snapshotSql(layer, includeDeleted), [id]);
  return rows[0];
}

/** The feature locked for a write, if it exists and is still at the version the writer read. */
async function lockedAtVersion(client: pg.PoolClient, layer: LayerDefinition, id: number, expectedVersion: number, includeDeleted = false) {
  const current = await lockedFeature(client, layer, id, includeDeleted);
  if (!current) throw notFound(`${layer.id} has no feature ${id}.`);
  if (current.version !== expectedVersion) throw preconditionFailed(current.version);
  return current;
}

async function snapshotOf(client: pg.PoolClient, layer: LayerDefinition, id: number, boxBefore?: Bounds): Promise<WrittenFeature> {
  const row = (await lockedFeature(client, layer, id))!;
  return { id, version: row.version, feature: row.feature, boxes: boxBefore ? [boxBefore, row.box] : [row.box] };
}

export async function createFeature(pool: pg.Pool, layer: LayerDefinition, user: User, input: FeatureInput): Promise<WrittenFeature> {
  return inTransaction(pool, layer, async (client) => {
    await requireValidFeature(client, layer, input);
    const values: unknown[] = [];
    const columns = assignments(layer, input, values);
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO ${identifier(layer.table)} (${columns.map((c) => c.column).join(', ')})
       VALUES (${columns.map((c) => c.value).join(', ')}) RETURNING id`,
      values,
    );
    const written = await snapshotOf(client, layer, rows[0]!.id);
    await appendAudit(client, { user, layer: layer.id, featureId: written.id, action: 'create', version: written.version, before: null, after: written.feature });
    return written;
  });
}

/** PUT and PATCH: the row is locked, its version compared with If-Match, then changed. */
export async function updateFeature(
  pool: pg.Pool,
  layer: LayerDefinition,
  user: User,
  id: number,
  expectedVersion: number,
  input: FeatureInput,
): Promise<WrittenFeature> {
  return inTransaction(pool, layer, async (client) => {
    const current = await lockedAtVersion(client, layer, id, expectedVersion);
    await requireValidFeature(client, layer, input);
    const values: unknown[] = [id];
    const columns = assignments(layer, input, values);
    if (columns.length > 0) {
      await client.query(`UPDATE ${identifier(layer.table)} SET ${columns.map((c) => `${c.column} = ${c.value}`).join(', ')} WHERE id = $1`, values);
    } else {
      // An empty patch still makes a new version, so its ETag moves and the log shows it.
      await client.query(`UPDATE ${identifier(layer.table)} SET updated_at = now() WHERE id = $1`, [id]);
    }
    const written = await snapshotOf(client, layer, id, current.box);
    await appendAudit(client, { user, layer: layer.id, featureId: id, action: 'update', version: written.version, before: current.feature, after: written.feature });
    return written;
  });
}

/** Soft delete: the row stays, hidden from every read, and can be restored from its history. */
export async function deleteFeature(
  pool: pg.Pool,
  layer: LayerDefinition,
  user: User,
  id: number,
  expectedVersion: number,
): Promise<Pick<WrittenFeature, 'version' | 'boxes'>> {
  return inTransaction(pool, layer, async (client) => {
    const current = await lockedAtVersion(client, layer, id, expectedVersion);
    const { rows } = await client.query<{ version: number }>(
      `UPDATE ${identifier(layer.table)} SET deleted_at = now() WHERE id = $1 RETURNING version`,
      [id],
    );
    const version = rows[0]!.version;
    await appendAudit(client, { user, layer: layer.id, featureId: id, action: 'delete', version, before: current.feature, after: null });
    return { version, boxes: [current.box] };
  });
}

/** Brings back the feature as it was at `version`, as a new audited write; undeletes it too. */
export async function restoreFeature(
  pool: pg.Pool,
  layer: LayerDefinition,
  user: User,
  id: number,
  version: number,
  expectedVersion: number,
): Promise<WrittenFeature> {
  return inTransaction(pool, layer, async (client) => {
    const current = await lockedAtVersion(client, layer, id, expectedVersion, true);
    const snapshot = await snapshotAt(client, layer.id, id, version);
    if (snapshot === undefined) throw notFound(`Feature ${id} of ${layer.id} has no version ${version} in its history.`);
    if (snapshot === null) throw unprocessable('That version is a deletion.', [{ name: 'version', reason: `version ${version} deleted the feature; restore the one before it` }]);
    // A version once stored passed every check; it is written back as it was.
    const input: FeatureInput = { geometry: snapshot.geometry as FeatureInput['geometry'], properties: new Map(), problems: [], geometryCheckable: false };
    for (const field of layer.fields) if (!field.derived) input.properties.set(field, (snapshot.properties[field.name] ?? null) as string | number | boolean | null);
    const values: unknown[] = [id];
    const columns = assignments(layer, input, values);
    await client.query(
      `UPDATE ${identifier(layer.table)} SET ${columns.map((c) => `${c.column} = ${c.value}`).join(', ')}, deleted_at = NULL WHERE id = $1`,
      values,
    );
    const written = await snapshotOf(client, layer, id, current.box);
    await appendAudit(client, { user, layer: layer.id, featureId: id, action: 'restore', version: written.version, before: current.deleted ? null : current.feature, after: written.feature });
    return written;
  });
}
