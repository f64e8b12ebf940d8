import { createServer, type Server } from 'node:http';
import { isDatabaseEmpty, loadDemoCity } from '../../data/demo-city/load.ts';
import { builtClientDirectory, createRequestListener } from './app.ts';
import { roles } from './auth/accounts.ts';
import { ensureDemoAccounts } from './auth/demo-accounts.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirInUseError, openDatabase, type Database } from './db/engine.ts';
import { runMigrations } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import { chooseTileEncoder } from './tiles/encoders.ts';
import { TileCache } from './tiles/tile-cache.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger(config.LOG_LEVEL);
const startedAt = Date.now();
let database: Database;
try {
  database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    logger,
    statementTimeoutMs: config.STATEMENT_TIMEOUT_MS,
  });
} catch (error) {
  if (!(error instanceof DataDirInUseError)) throw error;
  console.error(error.message);
  process.exit(1);
}

/**
 * Longest a shutdown may take. A client holding a request open (a stalled upload, a slow
 * network) must not keep a stopped server alive for the five minutes of Node's request timeout.
 */
const shutdownLimitMs = 10_000;

const running: { server?: Server } = {};
let stopping = false;
async function shutdown(signal: string, exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  setTimeout(() => {
    logger.error(`shutdown took longer than ${shutdownLimitMs / 1000} s: exiting without finishing it`);
    process.exit(1);
  }, shutdownLimitMs);
  // Stop taking requests and let those in flight finish, then close the database so the
  // embedded engine leaves its files consistent on disk.
  await new Promise<void>((resolve) => (running.server ? running.server.close(() => resolve()) : resolve()));
  await database.close();
  logger.info('stopped');
  process.exit(exitCode);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

let demoAccounts: Awaited<ReturnType<typeof ensureDemoAccounts>> | undefined;
try {
  await runMigrations(database.pool, logger);
  if (config.DEMO_MODE === 'on' && (await isDatabaseEmpty(database.pool))) {
    logger.info('empty database: loading the demo city');
    let lastReported = -1;
    const counts = await loadDemoCity(database.pool, {
      onProgress(done, total, label) {
        const percent = Math.floor((done / Math.max(total, 1)) * 10) * 10;
        if (percent !== lastReported) {
          lastReported = percent;
          logger.info(`loading the demo city: ${percent}% (${label})`);
        }
      },
    });
    logger.info({ counts }, 'demo city loaded');
  }
  if (config.DEMO_MODE === 'on') demoAccounts = await ensureDemoAccounts(database.pool, config.DEMO_PASSWORD);
} catch (error) {
  logger.fatal((error as Error).message);
  await shutdown('startup failure', 1);
}

const tileEncoder = await chooseTileEncoder(database);
const tileCache = config.TILE_CACHE_MB > 0 ? new TileCache(config.TILE_CACHE_MB * 2 ** 20) : undefined;
const listener = await createRequestListener({
  database,
  tileEncoder,
  tileCache,
  logger,
  clientDirectory: builtClientDirectory,
  anonymousReads: config.ANONYMOUS_READS === 'on',
});
running.server = createServer(listener).listen(config.PORT, config.HOST, () => {
  const address = running.server?.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  logger.info({ engine: database.engine, tileEncoder: tileEncoder.name, seconds }, 'ready');
  console.log(`\n  City operations console ready in ${seconds} s: http://localhost:${port}/\n`);
  if (demoAccounts) {
    // Demo mode only: one account per role, named after it.
    const password = demoAccounts.password ?? '(printed when the accounts were made; set DEMO_PASSWORD to choose one)';
    console.log(`  Demo accounts: ${roles.join(', ')}\n  Password: ${password}\n`);
  }
});
