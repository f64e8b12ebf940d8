import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import pino from 'pino';
import { inject } from 'vitest';
import { createRequestListener } from '../src/app.ts';
import { TileCache } from '../src/tiles/tile-cache.ts';
import type { Database } from '../src/db/database.ts';
import { embeddedPoolSize } from '../src/db/engine.ts';
import { layerChangeFeed } from '../src/db/layer-changes.ts';
import { chooseTileEncoder, type TileEncoder } from '../src/tiles/encoders.ts';

/** A connection to the run's shared database (see global-setup.ts). */
export function testDatabase(): Database {
  const engine = inject('databaseEngine');
  const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: engine === 'pglite' ? embeddedPoolSize : 4 });
  const layerChanges = layerChangeFeed(pool, engine, pino({ level: 'silent' }));
  return {
    pool,
    engine,
    layerChanges,
    async close() {
      await layerChanges.stop();
      await pool.end();
    },
  };
}

export interface RunningApp {
  baseUrl: string;
  database: Database;
  tileEncoder: TileEncoder;
  tileCache: TileCache;
  close(): Promise<void>;
}

/** Layer change notifications handed on `delayMs` late, as a loaded server or network may. */
function lateLayerChanges(database: Database, delayMs: number): Database {
  const feed = database.layerChanges;
  return {
    ...database,
    layerChanges: {
      ...feed,
      subscribe: (listener, missed) => feed.subscribe((change) => setTimeout(() => listener(change), delayMs), missed),
    },
  };
}

/** The real app on a random port, against the shared test database. */
export async function startTestApp(options: { anonymousReads?: boolean; layerChangeDelayMs?: number } = {}): Promise<RunningApp> {
  const { layerChangeDelayMs, ...appOptions } = options;
  const database = layerChangeDelayMs === undefined ? testDatabase() : lateLayerChanges(testDatabase(), layerChangeDelayMs);
  const logger = pino({ level: 'silent' });
  const tileEncoder = await chooseTileEncoder(database);
  const tileCache = new TileCache(64 * 2 ** 20);
  const server = createServer(await createRequestListener({ database, tileEncoder, tileCache, logger, ...appOptions })).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    database,
    tileEncoder,
    tileCache,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets left by fetch() would hold close() open until they time out.
      server.closeAllConnections();
      await closed;
      await database.close();
    },
  };
}
