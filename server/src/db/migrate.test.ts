import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testDatabase } from '../../test/test-app.ts';
import { lockFileName } from './data-dir-lock.ts';
import type { Database } from './database.ts';
import { MigrationError, migrationsDirectory, readMigrations, runMigrations } from './migrate.ts';

const logger = pino({ level: 'silent' });
let database: Database;
const directories: string[] = [];
const schema = `migration_probe_${Date.now()}`;

/** A migrations folder holding the real migrations and the given probe files (named 9xxx_...). */
async function migrationsWith(probes: Record<string, string>): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'city-ops-migrations-'));
  directories.push(directory);
  for (const { name } of await readMigrations()) await copyFile(path.join(migrationsDirectory, name), path.join(directory, name));
  for (const [name, sql] of Object.entries(probes)) await writeFile(path.join(directory, name), sql);
  return directory;
}

async function appliedNames(): Promise<string[]> {
  const { rows } = await database.pool.query<{ name: string }>(`SELECT name FROM schema_migrations WHERE name LIKE '9%' ORDER BY name`);
  return rows.map((row) => row.name);
}

beforeAll(() => {
  database = testDatabase();
});
afterAll(async () => {
  await database.pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await database.pool.query(`DELETE FROM schema_migrations WHERE name LIKE '9%'`);
  await database.close();
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
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
    const probes = {
      '9001_probe_schema.sql': `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (n int);`,
      '9002_probe_rows.sql': `INSERT INTO ${schema}.t VALUES (1), (2);`,
    };
    const directory = await migrationsWith(probes);
    expect(await runMigrations(database.pool, logger, directory)).toEqual(['9001_probe_schema.sql', '9002_probe_rows.sql']);
    expect(await runMigrations(database.pool, logger, directory)).toEqual([]);

    const broken = await migrationsWith({ ...probes, '9003_probe_broken.sql': `INSERT INTO ${schema}.t VALUES (3); SELECT no_such_function();` });
    await expect(runMigrations(database.pool, logger, broken)).rejects.toThrow(/9003_probe_broken\.sql failed/);
    const { rows } = await database.pool.query<{ n: number }>(`SELECT n FROM ${schema}.t ORDER BY n`);
    expect(rows.map((row) => row.n)).toEqual([1, 2]);
    expect(await appliedNames()).toEqual(['9001_probe_schema.sql', '9002_probe_rows.sql']);
  });

  it('stops with a clear message when an applied migration was edited', async () => {
    const directory = await migrationsWith({
      '9001_probe_schema.sql': `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (n int);`,
      '9002_probe_rows.sql': `INSERT INTO ${schema}.t VALUES (1), (2), (99);`,
    });
    await expect(runMigrations(database.pool, logger, directory)).rejects.toThrow(MigrationError);
    await expect(runMigrations(database.pool, logger, directory)).rejects.toThrow(/9002_probe_rows\.sql was edited after it was applied/);
  });

  it('refuses to run when the file of an applied migration is missing, naming it, and applies nothing', async () => {
    const directory = await migrationsWith({
      '9002_probe_rows.sql': `INSERT INTO ${schema}.t VALUES (1), (2);`,
      '9004_probe_pending.sql': `CREATE TABLE ${schema}.pending (n int);`,
    });
    const attempt = runMigrations(database.pool, logger, directory);
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(attempt).rejects.toThrow(`Migration 9001_probe_schema.sql was applied to this database but its file is missing from ${directory}`);
    expect(await appliedNames()).toEqual(['9001_probe_schema.sql', '9002_probe_rows.sql']);
    const pending = await database.pool.query(`SELECT to_regclass('${schema}.pending') AS found`);
    expect(pending.rows[0]).toEqual({ found: null });
  });

  it('holds its advisory lock only while it runs, whether it succeeds or fails', async () => {
    // Nothing else in the console takes advisory locks, so any left in this database are leaks.
    const advisoryLocks = async () =>
      (
        await database.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks
           WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        )
      ).rows[0]!.n;
    const applied = await migrationsWith({
      '9001_probe_schema.sql': `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (n int);`,
      '9002_probe_rows.sql': `INSERT INTO ${schema}.t VALUES (1), (2);`,
    });
    expect(await runMigrations(database.pool, logger, applied)).toEqual([]);
    expect(await advisoryLocks()).toBe(0);
    await expect(runMigrations(database.pool, logger, await migrationsWith({}))).rejects.toThrow(/9001_probe_schema\.sql .*missing/);
    expect(await advisoryLocks()).toBe(0);
  });
});

// On the embedded engine every connection shares one session, so only a real server can show
// one runner waiting for another.
describe.runIf(inject('databaseEngine') === 'postgres')('runMigrations from two servers at once (real PostgreSQL)', () => {
  const pools: pg.Pool[] = [];
  const newPool = () => {
    const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
    pools.push(pool);
    return pool;
  };
  afterAll(async () => {
    for (const pool of pools) await pool.end();
  });

  const applied = {
    '9001_probe_schema.sql': `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (n int);`,
    '9002_probe_rows.sql': `INSERT INTO ${schema}.t VALUES (1), (2);`,
  };

  const slow = { '9101_probe_slow.sql': `SELECT pg_sleep(0.5); CREATE TABLE ${schema}.once (n int); INSERT INTO ${schema}.t VALUES (101);` };

  it('applies each pending migration once when two runners start together', async () => {
    const directory = await migrationsWith({ ...applied, ...slow });
    const results = await Promise.all([newPool(), newPool()].map((pool) => runMigrations(pool, logger, directory)));
    expect(results.map((names) => names.join()).sort()).toEqual(['', '9101_probe_slow.sql']);
    const { rows } = await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.t WHERE n = 101`);
    expect(rows[0]!.n).toBe(1);
  });

  it('waits while another session holds the migration lock, then applies', async () => {
    const directory = await migrationsWith({ ...applied, ...slow, '9102_probe_waiting.sql': `CREATE TABLE ${schema}.waited (n int);` });
    const holder = await newPool().connect();
    await holder.query(`SELECT pg_advisory_lock(hashtext('city-ops: schema_migrations'))`);
    let finished = false;
    const run = runMigrations(newPool(), logger, directory).finally(() => (finished = true));
    try {
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(finished).toBe(false);
      expect(await appliedNames()).not.toContain('9102_probe_waiting.sql');
    } finally {
      await holder.query(`SELECT pg_advisory_unlock(hashtext('city-ops: schema_migrations'))`);
      holder.release();
    }
    expect(await run).toEqual(['9102_probe_waiting.sql']);
  });
});

/** `npm run migrate` or `npm run seed` with the given environment: exit code and everything printed. */
async function runCli(script: string, environment: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

describe('npm run migrate', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'city-ops-migrate-cli-'));
    directories.push(dataDir);
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: 'nonsense' }, 'DATABASE_URL: must be a postgres:// or postgresql:// URL'],
    ['PORT', { PORT: 'abc' }, 'PORT: Invalid input: expected number, received NaN'],
  ])('answers a bad %s with the message the seed CLI prints, not a stack trace', async (_name, setting, problem) => {
    const environment = { DATA_DIR: path.join(dataDir, 'never-made'), ...setting };
    const migrate = await runCli('server/src/db/migrate-cli.ts', environment);
    expect(migrate).toEqual({ code: 1, output: `Invalid configuration:\n  ${problem}\n` });
    expect(await runCli('data/seed-cli.ts', environment)).toEqual(migrate);
    await expect(stat(environment.DATA_DIR)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a data folder another process has open, without touching it', async () => {
    await writeFile(path.join(dataDir, lockFileName), `${process.pid}\n`);
    const migrate = await runCli('server/src/db/migrate-cli.ts', { DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(migrate).toEqual({
      code: 1,
      output: `DATA_DIR ${dataDir} is in use by process ${process.pid} (the console server?). Stop it first.\n`,
    });
    await expect(stat(path.join(dataDir, 'PG_VERSION'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
