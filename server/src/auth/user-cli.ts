/**
 * npm run user -- add NAME --role ROLE [--password PASSWORD]
 * Creates an account; without --password it makes one up and prints it once.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/engine.ts';
import { runMigrations } from '../db/migrate.ts';
import { createLogger } from '../logger.ts';
import { createUser, DuplicateUserError, passwordSchema, roles, roleSchema, usernameSchema } from './accounts.ts';
import { randomPassword } from './passwords.ts';

const usage = `usage: npm run user -- add NAME --role ${roles.join('|')} [--password PASSWORD]`;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { role: { type: 'string' }, password: { type: 'string' } },
});
const [command, name] = positionals;
const username = usernameSchema.safeParse(name);
const role = roleSchema.safeParse(values.role);
const password = passwordSchema.safeParse(values.password ?? randomPassword());
if (command !== 'add' || !username.success || !role.success || !password.success) {
  const problems = [
    command !== 'add' && `unknown command ${JSON.stringify(command ?? '')}`,
    !username.success && `NAME ${username.error.issues[0]?.message}`,
    !role.success && `--role must be one of ${roles.join(', ')}`,
    !password.success && `--password ${password.error.issues[0]?.message}`,
  ].filter(Boolean);
  console.error(`${problems.join('\n')}\n${usage}`);
  process.exit(2);
}

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger });
try {
  await runMigrations(database.pool, logger);
  const user = await createUser(database.pool, { username: username.data, role: role.data, password: password.data });
  console.log(`created ${user.username} (${user.role})${values.password ? '' : `, password: ${password.data}`}`);
} catch (error) {
  console.error(error instanceof DuplicateUserError ? error.message : (error as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
