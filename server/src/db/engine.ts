import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import type { Database, DatabaseOptions } from './database.ts';
import { followExtendedQueryErrorRules } from './extended-query-errors.ts';
import { layerChangeFeed } from './layer-changes.ts';

export type { Database, DatabaseOptions } from './database.ts';
export { DataDirInUseError } from './data-dir-lock.ts';

// bigint ids (int8) come back as numbers: layer ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * The embedded engine answers one query or transaction at a time whatever the number of
 * connections, and pglite-socket turns away connections beyond maxConnections. One pooled
 * connection per process plus room for a second tool (psql, a CLI) keeps every request queueing
 * in the pool instead of failing, and keeps one connection's extended-protocol messages from
 * interleaving with another's.
 */
export const embeddedPoolSize = 1;
const embeddedMaxConnections = 4;

/** A real server: a small pool, about twice the cores, measured faster than a large one. */
const externalPoolSize = 4;

/** JIT and parallel plans make short tile and page queries slower, never faster. */
export const externalSessionOptions = '-c jit=off -c max_parallel_workers_per_gather=0';

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openExternalDatabase(options.databaseUrl, options.logger, options.statementTimeoutMs)
    : openEmbeddedDatabase(options.dataDir, options.logger);
}

async function openExternalDatabase(databaseUrl: string, logger: Logger, statementTimeoutMs?: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: externalPoolSize,
    application_name: 'city-ops',
    statement_timeout: statementTimeoutMs,
    options: externalSessionOptions,
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
  await pool.query('SELECT 1');
  logger.info({ engine: 'postgres' }, 'connected to PostgreSQL');
  const layerChanges = layerChangeFeed(pool, 'postgres', logger);
  return {
    pool,
    engine: 'postgres',
    layerChanges,
    async close() {
      await layerChanges.stop();
      await pool.end();
    },
  };
}

async function openEmbeddedDatabase(dataDir: string, logger: Logger): Promise<Database> {
  // Imported lazily: the WebAssembly engine is large and unused against a real server.
  const [{ PGlite }, { postgis }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-postgis'),
    import('@electric-sql/pglite-socket'),
  ]);
  const inMemory = dataDir.startsWith('memory://');
  const location = inMemory ? undefined : path.resolve(dataDir);
  let lock: DataDirLock | undefined;
  if (location) {
    await mkdir(location, { recursive: true });
    lock = lockDataDir(location);
    if (lock.staleHolder !== undefined) {
      logger.warn({ dataDir: location, pid: lock.staleHolder }, 'took over the lock of a process that ended without closing the database');
    }
  }

  const startedAt = Date.now();
  logger.info({ dataDir: location ?? 'memory' }, startingMessage(location));
  let embedded: InstanceType<typeof PGlite> | undefined;
  let socketServer: InstanceType<typeof PGLiteSocketServer>;
  try {
    embedded = await PGlite.create({ dataDir: location, extensions: { postgis } });
    await embedded.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    followExtendedQueryErrorRules(embedded);
    socketServer = new PGLiteSocketServer({
      db: embedded,
      host: '127.0.0.1',
      port: 0,
      maxConnections: embeddedMaxConnections,
    });
    await socketServer.start();
  } catch (error) {
    await embedded?.close().catch(() => undefined);
    lock?.release();
    throw error;
  }
  const pglite = embedded;
  const connection = socketServer.getServerConn();
  logger.info({ ms: Date.now() - startedAt, connection }, 'embedded PostGIS ready');

  const pool = new pg.Pool({
    connectionString: `postgres://postgres@${connection}/postgres`,
    max: embeddedPoolSize,
    application_name: 'city-ops',
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle embedded connection failed'));

  let closed = false;
  const layerChanges = layerChangeFeed(pool, 'pglite', logger);
  return {
    pool,
    engine: 'pglite',
    layerChanges,
    async close() {
      if (closed) return;
      closed = true;
      await layerChanges.stop();
      await pool.end();
      try {
        await socketServer.stop();
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** PGlite runs initdb when the folder has no PG_VERSION yet: the only slow start. */
function startingMessage(location: string | undefined): string {
  if (!location) return 'creating an in-memory embedded PostGIS database';
  return existsSync(path.join(location, 'PG_VERSION'))
    ? 'opening the embedded PostGIS database'
    : 'creating the embedded PostGIS database (first start only: about 10 s)';
}
