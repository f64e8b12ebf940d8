import type pg from 'pg';
import type { User } from '../auth/accounts.ts';

export type AuditAction = 'create' | 'update' | 'delete' | 'restore';

/** A feature as the audit log keeps it: a GeoJSON Feature (properties and geometry). */
export type FeatureSnapshot = { type: 'Feature'; id: number; geometry: unknown; properties: Record<string, unknown> };

export interface AuditEntry {
  id: number;
  occurredAt: string;
  username: string;
  layer: string;
  featureId: number;
  action: AuditAction;
  version: number;
  before: FeatureSnapshot | null;
  after: FeatureSnapshot | null;
}

/** Appends to the log on the write's own connection, inside its transaction. */
export async function appendAudit(
  client: pg.PoolClient,
  entry: { user: User; layer: string; featureId: number; action: AuditAction; version: number; before: string | null; after: string | null },
): Promise<void> {
  await client.query(
    `INSERT INTO audit_log (user_id, username, layer, feature_id, action, version, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)`,
    [entry.user.id, entry.user.username, entry.layer, entry.featureId, entry.action, entry.version, entry.before, entry.after],
  );
}

/** Who, when, what: a change-log line. A feature's history adds the snapshots. */
const summaryColumns = `id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt",
  username, layer, feature_id AS "featureId", action, version`;
const entryColumns = `${summaryColumns}, before, after`;

export async function featureHistory(pool: Pick<pg.Pool, 'query'>, layer: string, featureId: number): Promise<AuditEntry[]> {
  const { rows } = await pool.query<AuditEntry>(
    `SELECT ${entryColumns} FROM audit_log WHERE layer = $1 AND feature_id = $2 ORDER BY version DESC, id DESC`,
    [layer, featureId],
  );
  return rows;
}

/**
 * The feature as it was at `version`: what the write that made it left, or, for a version made
 * before the log began (the demo city's own), what the next write found.
 */
export async function snapshotAt(client: pg.PoolClient, layer: string, featureId: number, version: number): Promise<AuditEntry['after'] | undefined> {
  const { rows } = await client.query<{ snapshot: AuditEntry['after'] }>(
    `SELECT snapshot FROM (
       SELECT after AS snapshot, 0 AS rank, id FROM audit_log WHERE layer = $1 AND feature_id = $2 AND version = $3
       UNION ALL
       SELECT before, 1, id FROM audit_log WHERE layer = $1 AND feature_id = $2 AND version = $3 + 1 AND before IS NOT NULL
     ) found ORDER BY rank, id DESC LIMIT 1`,
    [layer, featureId, version],
  );
  return rows.length === 0 ? undefined : rows[0]!.snapshot;
}

export interface RecentChangesFilter {
  username?: string;
  layer?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

/** Recent changes across layers, newest first, without the snapshots (the history has them). */
export async function recentChanges(pool: Pick<pg.Pool, 'query'>, filter: RecentChangesFilter): Promise<Omit<AuditEntry, 'before' | 'after'>[]> {
  const values: unknown[] = [];
  const conditions: string[] = [];
  const parameter = (value: unknown) => `$${values.push(value)}`;
  if (filter.username) conditions.push(`username = ${parameter(filter.username)}`);
  if (filter.layer) conditions.push(`layer = ${parameter(filter.layer)}`);
  if (filter.from) conditions.push(`occurred_at >= ${parameter(filter.from.toISOString())}::timestamptz`);
  if (filter.to) conditions.push(`occurred_at <= ${parameter(filter.to.toISOString())}::timestamptz`);
  const { rows } = await pool.query(
    `SELECT ${summaryColumns}
     FROM audit_log ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
     ORDER BY occurred_at DESC, id DESC LIMIT ${parameter(filter.limit)}`,
    values,
  );
  return rows;
}
