/**
 * npm run user -- add NAME --role ROLE [--password PASSWORD]
 * npm run user -- disable NAME | enable NAME | list
 * Without --password, `add` makes one up and prints it once. Disabling ends the user's sessions
 * and API tokens at once; the account and its audit trail stay.
 */
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/engine.ts';
import { runMigrations } from '../db/migrate.ts';
import { createLogger } from '../logger.ts';
import { createUser, listUsers, passwordSchema, roles, roleSchema, setUserDisabled, usernameSchema } from './accounts.ts';
import { randomPassword } from './passwords.ts';

const usage = `usage: npm run user -- add NAME --role ${roles.join('|')} [--password PASSWORD]
       npm run user -- disable NAME
       npm run user -- enable NAME
       npm run user -- list`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { role: { type: 'string' }, password: { type: 'string' } },
});
const [command, name] = positionals;

/** The command's work on an open database, or the problems with the arguments. */
type Task = (pool: pg.Pool) => Promise<string>;

function taskFor(): Task | string[] {
  const username = usernameSchema.safeParse(name);
  switch (command) {
    case 'add': {
      const role = roleSchema.safeParse(values.role);
      const password = passwordSchema.safeParse(values.password ?? randomPassword());
      if (!username.success || !role.success || !password.success) {
        return [
          !username.success && `NAME ${username.error.issues[0]?.message}`,
          !role.success && `--role must be one of ${roles.join(', ')}`,
          !password.success && `--password ${password.error.issues[0]?.message}`,
        ].filter((problem): problem is string => Boolean(problem));
      }
      return async (pool) => {
        const user = await createUser(pool, { username: username.data, role: role.data, password: password.data });
        return `created ${user.username} (${user.role})${values.password ? '' : `, password: ${password.data}`}`;
      };
    }
    case 'disable':
    case 'enable': {
      if (!username.success) return [`NAME ${username.error.issues[0]?.message}`];
      return async (pool) => {
        if (!(await setUserDisabled(pool, username.data, command === 'disable'))) throw new Error(`there is no user ${username.data}`);
        return `${command}d ${username.data}`;
      };
    }
    case 'list':
      return async (pool) =>
        (await listUsers(pool)).map((user) => `${user.username.padEnd(24)} ${user.role.padEnd(12)} ${user.disabled ? 'disabled' : 'active'}`).join('\n');
    default:
      return [`unknown command ${JSON.stringify(command ?? '')}`];
  }
}

const task = taskFor();
if (Array.isArray(task)) {
  console.error(`${task.join('\n')}\n${usage}`);
  process.exit(2);
}

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, logger });
try {
  await runMigrations(database.pool, logger);
  console.log(await task(database.pool));
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
