import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
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
 * Applies pending migrations in order, each once and in its own transaction, recording a checksum.
 * An already applied migration whose file changed stops everything: the database no longer
 * matches what the files say, and guessing would lose data.
 */
export async function runMigrations(pool: pg.Pool, logger: Logger, directory = migrationsDirectory): Promise<string[]> {
  const migrations = await readMigrations(directory);
  const client = await pool.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = new Map(
      (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).rows.map(
        (row) => [row.name, row.checksum],
      ),
    );
    for (const [name, checksum] of applied) {
      const file = migrations.find((migration) => migration.name === name);
      if (file && file.checksum !== checksum) {
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
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
          migration.name,
          migration.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      logger.info({ migration: migration.name }, 'migration applied');
      appliedNow.push(migration.name);
    }
    return appliedNow;
  } finally {
    client.release();
  }
}
