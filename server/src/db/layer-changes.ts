import pg from 'pg';
import type { Logger } from 'pino';
import type { EngineName } from './database.ts';

/** A change to a layer table, as migration 0003's triggers report it. */
export interface LayerChange {
  layer: string;
  /** WGS 84 boxes [west, south, east, north] of the changed rows before and after. */
  boxes: [number, number, number, number][];
}

export type LayerChangeListener = (change: LayerChange) => void;

const channel = 'layer_changes';

function parseChange(payload: string | undefined, logger: Logger): LayerChange | undefined {
  try {
    const change = JSON.parse(payload ?? '') as LayerChange;
    return typeof change.layer === 'string' && Array.isArray(change.boxes) ? change : undefined;
  } catch {
    logger.warn({ payload }, 'unreadable layer change notification');
    return undefined;
  }
}

/**
 * Layer changes, to subscribe to. Make it right after the pool, before any query. A real server gets a connection of its own that LISTENs. The
 * embedded engine has one session shared by every socket connection, and it hands a
 * notification to the connection whose statement caused it, so there the pool's own
 * connections listen: they carry every change the server makes.
 */
export function layerChangeFeed(pool: pg.Pool, engine: EngineName, logger: Logger) {
  const listeners = new Set<LayerChangeListener>();
  const dispatch = (message: pg.Notification) => {
    if (message.channel !== channel) return;
    const change = parseChange(message.payload, logger);
    if (change) for (const listener of listeners) listener(change);
  };
  // Hooked before the pool makes its first connection: connections made earlier would not hear.
  if (engine === 'pglite') pool.on('connect', (client) => client.on('notification', dispatch));
  let started: Promise<void> | undefined;
  let dedicated: pg.Client | undefined;
  let stopped = false;

  async function connectDedicated(): Promise<void> {
    const options = pool.options as pg.ClientConfig;
    const client = new pg.Client({ ...options, application_name: 'city-ops-listener' });
    client.on('notification', dispatch);
    client.on('error', (error) => {
      logger.warn({ err: error }, 'layer change listener lost its connection; reconnecting');
      dedicated = undefined;
      if (!stopped) setTimeout(() => void connectDedicated().catch(() => {}), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    dedicated = client;
  }

  async function start(): Promise<void> {
    if (engine === 'pglite') {
      await pool.query(`LISTEN ${channel}`);
    } else {
      await connectDedicated();
    }
  }

  return {
    /** Calls the listener for every later change; resolves once listening. */
    async subscribe(listener: LayerChangeListener): Promise<void> {
      listeners.add(listener);
      started ??= start();
      await started;
    },
    async stop(): Promise<void> {
      stopped = true;
      listeners.clear();
      await dedicated?.end().catch(() => {});
    },
  };
}

export type LayerChangeFeed = ReturnType<typeof layerChangeFeed>;
