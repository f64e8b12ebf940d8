import pg from 'pg';
import type { Logger } from 'pino';
import type { LayerChangeFeed } from './layer-changes.ts';

export type EngineName = 'pglite' | 'postgres';

/** An open database: always reached through a `pg` pool, whichever engine is behind it. */
export interface Database {
  pool: pg.Pool;
  engine: EngineName;
  /** Every change to a layer table, whoever made it. */
  layerChanges: LayerChangeFeed;
  /** Drains the pool, then stops the embedded engine (if any) so its files are consistent on disk. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL/PostGIS URL; unset means the embedded engine. */
  databaseUrl?: string;
  /** The embedded engine's folder, or 'memory://' for a throwaway in-memory instance. */
  dataDir: string;
  logger: Logger;
  /** Longest a statement may run on a real server before it is cancelled. */
  statementTimeoutMs?: number;
}
