/**
 * npm run migrate
 *
 * Applies pending migrations to the configured database (DATABASE_URL, or the embedded engine
 * under DATA_DIR) and exits. A wrong setting, a busy data folder or a failed migration prints one
 * message, as `npm run seed` does, and exits 1.
 */
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from './engine.ts';
import { runMigrations } from './migrate.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger });
  try {
    const applied = await runMigrations(database.pool, logger);
    logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
