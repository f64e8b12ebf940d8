import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/test-app.ts';
import type { Database } from './database.ts';
import { MigrationError, readMigrations, runMigrations } from './migrate.ts';

const logger = pino({ level: 'silent' });
let database: Database;
let directory: string;
const schema = `migration_probe_${Date.now()}`;

beforeAll(async () => {
  database = testDatabase();
  directory = await mkdtemp(path.join(tmpdir(), 'city-ops-migrations-'));
});
afterAll(async () => {
  await database.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await database.pool.query(`DELETE FROM schema_migrations WHERE name LIKE '9%'`);
  await database.close();
  await rm(directory, { recursive: true, force: true });
});

describe('runMigrations', () => {
  it('has applied every file of migrations/ to the test database, each recorded once', async () => {
    const files = await readMigrations();
    const { rows } = await database.pool.query<{ name: string; checksum: string }>(
      `SELECT name, checksum FROM schema_migrations WHERE name NOT LIKE '9%' ORDER BY name`,
    );
    expect(rows).toEqual(files.map(({ name, checksum }) => ({ name, checksum })));
  });

  it('applies new files in order, once, and rolls back a failing one whole', async () => {
    await writeFile(path.join(directory, '9001_probe_schema.sql'), `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (n int);`);
    await writeFile(path.join(directory, '9002_probe_rows.sql'), `INSERT INTO ${schema}.t VALUES (1), (2);`);
    expect(await runMigrations(database.pool, logger, directory)).toEqual(['9001_probe_schema.sql', '9002_probe_rows.sql']);
    expect(await runMigrations(database.pool, logger, directory)).toEqual([]);

    await writeFile(path.join(directory, '9003_probe_broken.sql'), `INSERT INTO ${schema}.t VALUES (3); SELECT no_such_function();`);
    await expect(runMigrations(database.pool, logger, directory)).rejects.toThrow(/9003_probe_broken\.sql failed/);
    const { rows } = await database.pool.query<{ n: number }>(`SELECT n FROM ${schema}.t ORDER BY n`);
    expect(rows.map((row) => row.n)).toEqual([1, 2]);
    const recorded = await database.pool.query(`SELECT 1 FROM schema_migrations WHERE name = '9003_probe_broken.sql'`);
    expect(recorded.rowCount).toBe(0);
    await rm(path.join(directory, '9003_probe_broken.sql'));
  });

  it('stops with a clear message when an applied migration was edited', async () => {
    await writeFile(path.join(directory, '9002_probe_rows.sql'), `INSERT INTO ${schema}.t VALUES (1), (2), (99);`);
    const attempt = runMigrations(database.pool, logger, directory);
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(runMigrations(database.pool, logger, directory)).rejects.toThrow(/9002_probe_rows\.sql was edited after it was applied/);
  });
});
