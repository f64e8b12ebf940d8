/** Sign-in, sign-out and the session of the current browser. */
import type { User } from '../../../server/src/auth/accounts.ts';
import type { Role } from '../../../server/src/registry/layers.ts';
import { ApiProblem, request, setCsrfToken } from './http.ts';

export type { Role, User };

export interface Session {
  user: User;
  csrfToken: string;
  expiresAt: string;
}

export async function signIn(username: string, password: string): Promise<Session> {
  const { body } = await request<Session>('/api/auth/login', { method: 'POST', body: { username, password } });
  setCsrfToken(body.csrfToken);
  return body;
}

export async function signOut(): Promise<void> {
  try {
    await request<void>('/api/auth/logout', { method: 'POST' });
  } finally {
    setCsrfToken(undefined);
  }
}

/** The session the cookie still holds after a reload, or undefined when nobody is signed in. */
export async function currentSession(signal?: AbortSignal): Promise<Session | undefined> {
  try {
    const { body } = await request<Session>('/api/auth/me', { signal });
    setCsrfToken(body.csrfToken);
    return body;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) return undefined;
    throw error;
  }
}
