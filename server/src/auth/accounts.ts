import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { roles, type Role } from '../registry/layers.ts';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';

export { roles };

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{1,63}$/, 'must be 2-64 lowercase letters, digits, dots, dashes or underscores');
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(200);
export const roleSchema = z.enum(roles);

/** Who is making a request, as every route sees it. */
export interface User {
  id: number;
  username: string;
  role: Role;
}

type Queryable = Pick<pg.Pool, 'query'>;

export class DuplicateUserError extends Error {}

export async function createUser(database: Queryable, input: { username: string; role: Role; password: string }): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  try {
    const { rows } = await database.query<User>(
      'INSERT INTO users (username, role, password_hash) VALUES ($1, $2, $3) RETURNING id, username, role',
      [input.username, input.role, passwordHash],
    );
    return rows[0]!;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new DuplicateUserError(`user ${input.username} already exists`);
    throw error;
  }
}

/**
 * Disables (or enables again) an account; disabling also ends its sessions, so it takes effect
 * at once. False if there is no such user.
 */
export async function setUserDisabled(pool: pg.Pool, username: string, disabled: boolean): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: number }>(
      `UPDATE users SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) END WHERE username = $1 RETURNING id`,
      [username, disabled],
    );
    if (rows[0] && disabled) await client.query('DELETE FROM sessions WHERE user_id = $1', [rows[0].id]);
    await client.query('COMMIT');
    return rows.length === 1;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export async function listUsers(database: Queryable): Promise<(User & { disabled: boolean })[]> {
  const { rows } = await database.query<User & { disabled: boolean }>(
    'SELECT id, username, role, disabled_at IS NOT NULL AS disabled FROM users ORDER BY username',
  );
  return rows;
}

/**
 * The user whose name and password these are, or undefined. An unknown name costs the same
 * scrypt work as a wrong password, so timing does not tell which it was.
 */
export async function userWithPassword(database: Queryable, username: string, password: string): Promise<User | undefined> {
  const { rows } = await database.query<User & { password_hash: string }>(
    'SELECT id, username, role, password_hash FROM users WHERE username = $1 AND disabled_at IS NULL',
    [username],
  );
  const row = rows[0];
  const matches = await verifyPassword(password, row?.password_hash ?? (await decoyPasswordHash()));
  return row && matches ? { id: row.id, username: row.username, role: row.role } : undefined;
}

export async function countUsers(database: Queryable): Promise<number> {
  const { rows } = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]!.n;
}

/** Random secrets are handed out once and stored only as digests. */
export function newSecret(): { secret: string; digest: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, digest: digestOf(secret) };
}

export function digestOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
