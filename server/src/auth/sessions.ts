import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { digestOf, newSecret, type User } from './accounts.ts';

type Queryable = Pick<pg.Pool, 'query'>;

/** Sessions last a working shift and a bit; signing in again is cheap. */
export const sessionLifetimeHours = 12;

export interface Session {
  user: User;
  csrfToken: string;
  expiresAt: Date;
}

export async function startSession(database: Queryable, user: User): Promise<Session & { token: string }> {
  const { secret, digest } = newSecret();
  const csrfToken = randomBytes(24).toString('base64url');
  // The user's expired sessions go as a new one starts, so the table does not grow forever.
  await database.query('DELETE FROM sessions WHERE user_id = $1 AND expires_at <= now()', [user.id]);
  const { rows } = await database.query<{ expires_at: Date }>(
    `INSERT INTO sessions (token_digest, user_id, csrf_token, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING expires_at`,
    [digest, user.id, csrfToken, sessionLifetimeHours],
  );
  return { token: secret, user, csrfToken, expiresAt: rows[0]!.expires_at };
}

export async function sessionFor(database: Queryable, token: string): Promise<Session | undefined> {
  const { rows } = await database.query<{ id: number; username: string; role: User['role']; csrf_token: string; expires_at: Date }>(
    `SELECT u.id, u.username, u.role, s.csrf_token, s.expires_at
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_digest = $1 AND s.expires_at > now() AND u.disabled_at IS NULL`,
    [digestOf(token)],
  );
  const row = rows[0];
  return row && { user: { id: row.id, username: row.username, role: row.role }, csrfToken: row.csrf_token, expiresAt: row.expires_at };
}

export async function endSession(database: Queryable, token: string): Promise<void> {
  await database.query('DELETE FROM sessions WHERE token_digest = $1', [digestOf(token)]);
}

export async function userForApiToken(database: Queryable, token: string): Promise<User | undefined> {
  const { rows } = await database.query<User>(
    `UPDATE api_tokens t SET last_used_at = now()
     FROM users u
     WHERE t.token_digest = $1 AND t.revoked_at IS NULL AND u.id = t.user_id AND u.disabled_at IS NULL
     RETURNING u.id, u.username, u.role`,
    [digestOf(token)],
  );
  return rows[0];
}

export async function createApiToken(database: Queryable, user: User, name: string): Promise<{ id: number; token: string }> {
  const { secret, digest } = newSecret();
  const { rows } = await database.query<{ id: number }>(
    'INSERT INTO api_tokens (user_id, name, token_digest) VALUES ($1, $2, $3) RETURNING id',
    [user.id, name, digest],
  );
  return { id: rows[0]!.id, token: secret };
}

export interface ApiTokenSummary {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The user's tokens, newest first, without anything that could authenticate. */
export async function listApiTokens(database: Queryable, user: User): Promise<ApiTokenSummary[]> {
  const { rows } = await database.query<ApiTokenSummary>(
    `SELECT id::int AS id, name, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
     FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`,
    [user.id],
  );
  return rows;
}

/** Revokes one of the user's tokens (an admin may revoke anyone's); false if there is none. */
export async function revokeApiToken(database: Queryable, user: User, tokenId: number): Promise<boolean> {
  const { rowCount } = await database.query(
    `UPDATE api_tokens SET revoked_at = now()
     WHERE id = $1 AND revoked_at IS NULL AND (user_id = $2 OR $3)`,
    [tokenId, user.id, user.role === 'admin'],
  );
  return rowCount === 1;
}
