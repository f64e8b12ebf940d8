import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Logger } from 'pino';

export const migrationsDirectory = fileURLToPath(new URL('../../../migrations/', import.meta.url));

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

const migrationFilePattern = /^\d{4}_[a-z0-9_]+\.sql$/;

export async function readMigrations(directory = migrationsDirectory): Promise<Migration[]> {
  const names = (await readdir(directory)).filter((name) => migrationFilePattern.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(directory, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * The session advisory lock every runner takes before reading what is applied: two servers
 * starting against one PostgreSQL apply each migration once, one after the other. (On the
 * embedded engine every connection shares one session, so the lock never waits there; the data
 * folder's lock file keeps a second process out instead.)
 */
const migrationLock = `hashtext('city-ops: schema_migrations')`;

/**
 * Applies pending migrations in order, each once and in its own transaction, recording a checksum.
 * An already applied migration whose file changed or is missing stops everything: the database no
 * longer matches what the files say, and guessing would lose data.
 */
export async function runMigrations(pool: pg.Pool, logger: Logger, directory = migrationsDirectory): Promise<string[]> {
  const migrations = await readMigrations(directory);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await waitForMigrationLock(client, logger);
    try {
      return await applyPending(client, migrations, directory, logger);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${migrationLock})`);
    }
  } catch (error) {
    if (!(error instanceof MigrationError)) broken = error as Error;
    throw error;
  } finally {
    // A connection that failed outside a migration may still hold the lock: dropping it frees it.
    client.release(broken);
  }
}

/**
 * Polled rather than waited for in one pg_advisory_lock call: on a real server the statement
 * timeout would cancel a wait longer than it, while another runner applies a long migration.
 */
async function waitForMigrationLock(client: pg.PoolClient, logger: Logger): Promise<void> {
  let waiting = false;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${migrationLock}) AS locked`);
    if (rows[0]?.locked) return;
    if (!waiting) logger.info('another process is applying migrations: waiting for it to finish');
    waiting = true;
    await sleep(200);
  }
}

async function applyPending(client: pg.PoolClient, migrations: Migration[], directory: string, logger: Logger): Promise<string[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied = new Map(
    (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name')).rows.map(
      (row) => [row.name, row.checksum],
    ),
  );
  for (const [name, checksum] of applied) {
    const file = migrations.find((migration) => migration.name === name);
    if (!file) {
      throw new MigrationError(
        `Migration ${name} was applied to this database but its file is missing from ${directory}. ` +
          'Restore the file (is this an older checkout than the one that migrated the database?).',
      );
    }
    if (file.checksum !== checksum) {
      throw new MigrationError(
        `Migration ${name} was edited after it was applied (checksum ${checksum.slice(0, 12)} in the database, ` +
          `${file.checksum.slice(0, 12)} on disk). Restore the file and add a new migration for the change.`,
      );
    }
  }
  const appliedNow: string[] = [];
  for (const migration of migrations.filter((candidate) => !applied.has(candidate.name))) {
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
    }
    logger.info({ migration: migration.name }, 'migration applied');
    appliedNow.push(migration.name);
  }
  return appliedNow;
}
