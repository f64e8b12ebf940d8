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

/** Told when changes may have gone unheard, as while the listening connection was down. */
type MissedChangesListener = () => void;

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
 * Layer changes, to subscribe to. Make it right after the pool, before any query. A real server
 * gets a connection of its own that LISTENs; when that connection drops it is made again, and
 * since the changes in between were never heard, subscribers are told to assume anything
 * changed. The embedded engine has one session shared by every socket connection, and it hands
 * a notification to the connection whose statement caused it, so there the pool's own
 * connections listen: they carry every change the server makes.
 */
export function layerChangeFeed(pool: pg.Pool, engine: EngineName, logger: Logger) {
  const listeners = new Set<LayerChangeListener>();
  const missedListeners = new Set<MissedChangesListener>();
  const dispatch = (message: pg.Notification) => {
    if (message.channel !== channel) return;
    const change = parseChange(message.payload, logger);
    if (change) for (const listener of listeners) listener(change);
  };
  // Hooked before the pool makes its first connection: connections made earlier would not hear.
  if (engine === 'pglite') pool.on('connect', (client) => client.on('notification', dispatch));
  let started: Promise<void> | undefined;
  let dedicated: pg.Client | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function connectDedicated(): Promise<void> {
    const options = pool.options as pg.ClientConfig;
    const client = new pg.Client({ ...options, application_name: 'city-ops-listener' });
    let listening = false;
    const lost = (error?: Error) => {
      // Failures before LISTEN succeeded belong to whoever awaits this connect.
      if (!listening) return;
      listening = false;
      dedicated = undefined;
      if (stopped) return;
      logger.warn({ err: error }, 'layer change listener lost its connection; reconnecting');
      reconnectSoon();
    };
    client.on('notification', dispatch);
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      void client.end().catch(() => {});
      throw error;
    }
    listening = true;
    dedicated = client;
  }

  function reconnectSoon(): void {
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      if (stopped) return;
      connectDedicated().then(
        () => {
          if (stopped) return;
          logger.info('layer change listener reconnected');
          for (const listener of missedListeners) listener();
        },
        (error: unknown) => {
          logger.warn({ err: error }, 'layer change listener could not reconnect; trying again');
          reconnectSoon();
        },
      );
    }, 1000);
  }

  async function start(): Promise<void> {
    if (engine === 'pglite') {
      await pool.query(`LISTEN ${channel}`);
    } else {
      await connectDedicated();
    }
  }

  return {
    /**
     * Calls `listener` for every later change, and `missed` whenever changes may have gone
     * unheard; resolves once listening.
     */
    async subscribe(listener: LayerChangeListener, missed?: MissedChangesListener): Promise<void> {
      listeners.add(listener);
      if (missed) missedListeners.add(missed);
      started ??= start();
      await started;
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(reconnectTimer);
      listeners.clear();
      missedListeners.clear();
      await dedicated?.end().catch(() => {});
    },
  };
}

export type LayerChangeFeed = ReturnType<typeof layerChangeFeed>;
