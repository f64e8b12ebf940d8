import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createUser, type User } from '../src/auth/accounts.ts';
import type { Role } from '../src/registry/layers.ts';

/** A new account with a name no other test uses. */
export async function testUser(pool: pg.Pool, role: Role): Promise<User & { password: string }> {
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const user = await createUser(pool, { username: `${role}-${randomBytes(4).toString('hex')}`, role, password });
  return { ...user, password };
}

export interface SignedIn {
  cookie: string;
  csrfToken: string;
  /** Headers for a cookie-authenticated write. */
  writeHeaders: Record<string, string>;
}

export async function signIn(baseUrl: string, username: string, password: string): Promise<SignedIn> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken, writeHeaders: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } };
}
