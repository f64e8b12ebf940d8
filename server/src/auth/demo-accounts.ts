import type pg from 'pg';
import { countUsers, createUser, roles } from './accounts.ts';
import { randomPassword } from './passwords.ts';

/**
 * The demo city's accounts: one per role, named after it. Made once, in an empty user table,
 * with the given password or a random one; returns the password when it made them.
 */
export async function ensureDemoAccounts(pool: pg.Pool, configuredPassword?: string): Promise<{ created: boolean; password?: string }> {
  if ((await countUsers(pool)) > 0) return { created: false, password: configuredPassword };
  const password = configuredPassword ?? randomPassword();
  for (const role of roles) await createUser(pool, { username: role, role, password });
  return { created: true, password };
}
