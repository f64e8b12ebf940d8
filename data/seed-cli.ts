/**
 * npm run seed [-- --scale 100 --seed 20260630 --replace]
 *
 * Loads the demo city into the configured database (DATABASE_URL, or the embedded engine under
 * DATA_DIR), after applying pending migrations. Refuses to load over an existing city unless
 * --replace, which empties the layer tables in the same transaction as the load.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../server/src/config.ts';
import { openDatabase } from '../server/src/db/engine.ts';
import { runMigrations } from '../server/src/db/migrate.ts';
import { createLogger } from '../server/src/logger.ts';
import { defaultSeed } from './demo-city/generate.ts';
import { isDatabaseEmpty, loadDemoCity } from './demo-city/load.ts';

const usage = 'usage: npm run seed [-- --scale N --seed N --replace]';

const help = `${usage}

Loads the demo city into the configured database (DATABASE_URL, or the embedded engine under
DATA_DIR, which no running server may have open), after applying pending migrations.

  --scale N    size of the city, above 0 and at most 1000 (default 1). 1 mirrors the published
               counts (693 alleys, 120 unlit roads, 505 vendor points, about 29,000 lamps);
               100 has about 2.8 million lamps, for benchmarks.
  --seed N     the random seed (default ${defaultSeed}): the same seed and scale build the same city.
  --replace    empty the layer tables and load the new city in the same transaction. Without it,
               a database that already holds a city is left as it is.
  -h, --help   print this help.`;

function parsedArguments() {
  try {
    return parseArgs({
      options: {
        scale: { type: 'string', default: '1' },
        seed: { type: 'string', default: String(defaultSeed) },
        replace: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    // Unknown options and missing values: name the problem, then show what is accepted.
    throw new Error(`${(error as Error).message}\n${usage}`, { cause: error });
  }
}

function parseOptions(): { scale: number; seed: number; replace: boolean } {
  const values = parsedArguments();
  if (values.help) {
    console.log(help);
    process.exit(0);
  }
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  if (!(scale > 0) || scale > 1000) throw new Error(`--scale must be a number above 0 and at most 1000, got ${values.scale}\n${usage}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}\n${usage}`);
  return { scale, seed, replace: values.replace };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger });
  try {
    await runMigrations(database.pool, logger);
    if (!options.replace && !(await isDatabaseEmpty(database.pool))) {
      console.error('The database already holds a city. Run again with --replace to overwrite it.');
      process.exitCode = 1;
      return;
    }
    const bar = new cliProgress.SingleBar(
      { format: 'demo city |{bar}| {percentage}% {value}/{total} rows | {label} | {duration_formatted}', stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    const startedAt = Date.now();
    let started = false;
    let counts: Record<string, number>;
    try {
      counts = await loadDemoCity(database.pool, {
        ...options,
        onProgress(done, total, label) {
          if (!started) {
            bar.start(total, 0, { label });
            started = true;
          }
          bar.update(done, { label });
        },
      });
    } finally {
      bar.stop();
    }
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.log(`Loaded the demo city (seed ${options.seed}, scale ${options.scale}) into ${database.engine} in ${seconds} s:`);
    for (const [table, count] of Object.entries(counts)) console.log(`  ${table.padEnd(18)} ${count.toLocaleString('en')}`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
