import pg from 'pg';
import pino, { type Logger } from 'pino';
import type { TestProject } from 'vitest/node';
import { loadDemoCity } from '../../data/demo-city/load.ts';
import type { Database, EngineName } from '../src/db/database.ts';
import { openDatabase } from '../src/db/engine.ts';
import { runMigrations } from '../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseEngine: EngineName;
    /** A real PostGIS holding the same demo city, to compare tile encoders across engines; '' when absent. */
    referenceDatabaseUrl: string;
  }
}

/** A fresh database on a PostgreSQL server, dropped by the returned function. */
async function createServerDatabase(serverUrl: string, purpose: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `city_ops_${purpose}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

async function seeded(database: Database, logger: Logger): Promise<Database> {
  await runMigrations(database.pool, logger);
  await loadDemoCity(database.pool, {});
  return database;
}

/**
 * One seeded database for the whole run: the embedded engine in memory by default, or a fresh
 * database on the server named by TEST_DATABASE_URL. REFERENCE_DATABASE_URL adds a real PostGIS
 * with the same city so embedded tiles can be compared with ST_AsMVT's.
 */
export default async function setup(project: TestProject) {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
  const cleanups: (() => Promise<void>)[] = [];
  const serverUrl = process.env.TEST_DATABASE_URL;

  let database: Database;
  let databaseUrl: string;
  if (serverUrl) {
    const created = await createServerDatabase(serverUrl, 'test');
    cleanups.push(created.drop);
    databaseUrl = created.url;
    database = await seeded(await openDatabase({ databaseUrl, dataDir: 'unused', logger }), logger);
  } else {
    database = await seeded(await openDatabase({ dataDir: 'memory://', logger }), logger);
    databaseUrl = (database.pool.options as { connectionString: string }).connectionString;
  }
  cleanups.unshift(() => database.close());

  let referenceDatabaseUrl = '';
  const referenceServerUrl = process.env.REFERENCE_DATABASE_URL;
  if (referenceServerUrl && !serverUrl) {
    const created = await createServerDatabase(referenceServerUrl, 'reference');
    cleanups.push(created.drop);
    const reference = await seeded(await openDatabase({ databaseUrl: created.url, dataDir: 'unused', logger }), logger);
    cleanups.unshift(() => reference.close());
    referenceDatabaseUrl = created.url;
  }

  project.provide('databaseUrl', databaseUrl);
  project.provide('databaseEngine', database.engine);
  project.provide('referenceDatabaseUrl', referenceDatabaseUrl);

  return async () => {
    for (const cleanup of cleanups) await cleanup().catch((error: Error) => logger.warn(error.message));
  };
}
