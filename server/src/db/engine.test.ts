import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testDatabase } from '../../test/test-app.ts';
import { lockFileName } from './data-dir-lock.ts';
import type { Database } from './database.ts';
import { DataDirInUseError, openDatabase } from './engine.ts';

const logger = pino({ level: 'silent' });

describe('the shared database', () => {
  let database: Database;
  beforeAll(() => {
    database = testDatabase();
  });
  afterAll(() => database.close());

  it('queues 60 concurrent queries instead of refusing them', async () => {
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        database.pool.query<{ doubled: number }>('SELECT $1::int * 2 AS doubled, pg_sleep(0.001)', [index]),
      ),
    );
    expect(results.map((result) => result.rows[0]!.doubled)).toEqual(Array.from({ length: 60 }, (_, index) => index * 2));
  });

  it('keeps a transaction on one connection invisible to another until it commits', async () => {
    const writer = new pg.Client({ connectionString: inject('databaseUrl') });
    const reader = new pg.Client({ connectionString: inject('databaseUrl') });
    await writer.connect();
    await reader.connect();
    try {
      await writer.query('CREATE TEMP TABLE IF NOT EXISTS scratch_probe (n int)');
      await reader.query('CREATE TABLE IF NOT EXISTS isolation_probe (n int)');
      await writer.query('BEGIN');
      await writer.query('INSERT INTO isolation_probe VALUES (1)');
      // On the embedded engine the reader waits for the writer's transaction to end; on a real
      // server it reads the committed state. Either way it never sees the uncommitted row.
      const readWhileOpen = reader.query<{ n: number }>('SELECT count(*)::int AS n FROM isolation_probe');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await writer.query('ROLLBACK');
      expect((await readWhileOpen).rows[0]!.n).toBe(0);
    } finally {
      await reader.query('DROP TABLE IF EXISTS isolation_probe');
      await writer.end();
      await reader.end();
    }
  });
});

describe('the embedded engine on disk', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'city-ops-engine-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps every committed write across a close and a reopen', async () => {
    const first = await openDatabase({ dataDir, logger });
    expect(first.engine).toBe('pglite');
    await first.pool.query('CREATE TABLE kept (label text)');
    await Promise.all(['路灯', 'alley', 'zone'].map((label) => first.pool.query('INSERT INTO kept VALUES ($1)', [label])));
    await first.close();

    const second = await openDatabase({ dataDir, logger });
    try {
      const { rows } = await second.pool.query<{ label: string }>('SELECT label FROM kept ORDER BY label');
      expect(rows.map((row) => row.label).sort()).toEqual(['alley', 'zone', '路灯'].sort());
      const postgis = await second.pool.query<{ version: string }>('SELECT postgis_lib_version() AS version');
      expect(postgis.rows[0]!.version).toMatch(/^3\./);
    } finally {
      await second.close();
    }
  }, 180_000);

  it('refuses a second opener while the folder is open, then lets it in once the first has closed', async () => {
    const first = await openDatabase({ dataDir, logger });
    try {
      await first.pool.query('CREATE TABLE IF NOT EXISTS kept_while_locked (n int)');
      const second = openDatabase({ dataDir, logger });
      await expect(second).rejects.toThrow(DataDirInUseError);
      await expect(second).rejects.toThrow(`DATA_DIR ${dataDir} is in use by process ${process.pid} (the console server?). Stop it first.`);
      expect(await readFile(path.join(dataDir, lockFileName), 'utf8')).toBe(`${process.pid}\n`);
      // The refused opener left the first one's engine working.
      await first.pool.query('INSERT INTO kept_while_locked VALUES (1)');
    } finally {
      await first.close();
    }
    await expect(readFile(path.join(dataDir, lockFileName))).rejects.toMatchObject({ code: 'ENOENT' });
    const third = await openDatabase({ dataDir, logger });
    try {
      expect((await third.pool.query('SELECT count(*)::int AS n FROM kept_while_locked')).rows[0]).toEqual({ n: 1 });
    } finally {
      await third.close();
    }
  }, 180_000);

  it('takes over a lock left by a process that died without closing', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    expect(() => process.kill(gone, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    await writeFile(path.join(dataDir, lockFileName), `${gone}\n`);
    const reopened = await openDatabase({ dataDir, logger });
    try {
      expect(await readFile(path.join(dataDir, lockFileName), 'utf8')).toBe(`${process.pid}\n`);
      expect((await reopened.pool.query('SELECT count(*)::int AS n FROM kept')).rows[0]).toEqual({ n: 3 });
    } finally {
      await reopened.close();
    }
  }, 180_000);

  it('takes over a lock naming this process when this process does not hold it (a restarted container keeps its PID)', async () => {
    await writeFile(path.join(dataDir, lockFileName), `${process.pid}\n`);
    const reopened = await openDatabase({ dataDir, logger });
    await reopened.close();
  }, 180_000);
});
