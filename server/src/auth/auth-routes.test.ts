import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testUser } from '../../test/accounts.ts';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('signing in', () => {
  it('sets an httpOnly, SameSite=Strict session cookie and tells who is signed in', async () => {
    const planner = await testUser(app.database.pool, 'planner');
    const response = await post('/api/auth/login', { username: planner.username, password: planner.password });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const body = (await response.json()) as { user: { username: string; role: string }; csrfToken: string };
    expect(body.user).toMatchObject({ username: planner.username, role: 'planner' });
    expect(body.csrfToken.length).toBeGreaterThan(20);

    const me = await fetch(`${app.baseUrl}/api/auth/me`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe(planner.username);

    const { rows } = await app.database.pool.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [planner.id]);
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$/);
    expect(rows[0]!.password_hash).not.toContain(planner.password);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const viewer = await testUser(app.database.pool, 'viewer');
    const wrongPassword = await post('/api/auth/login', { username: viewer.username, password: 'not-the-password' });
    const unknownUser = await post('/api/auth/login', { username: 'nobody-at-all', password: 'not-the-password' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await wrongPassword.json()).toEqual(await unknownUser.json());
  });

  it('rejects a malformed body with a 400 naming the field', async () => {
    const response = await post('/api/auth/login', { username: 'x' });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { 'invalid-params': { name: string }[] };
    expect(problem['invalid-params'].map((p) => p.name)).toContain('password');
  });

  it('locks an account out after five failed attempts, while its right password then also waits', async () => {
    const target = await testUser(app.database.pool, 'sanitation');
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await post('/api/auth/login', { username: target.username, password: `guess-${attempt}` })).status).toBe(401);
    }
    const limited = await post('/api/auth/login', { username: target.username, password: target.password });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // Another account from the same address is not held back by this one's failures.
    const other = await testUser(app.database.pool, 'viewer');
    expect((await post('/api/auth/login', { username: other.username, password: other.password })).status).toBe(200);
  });

  it('expires a session on the server, clears it at the next sign-in, and signs in over an old cookie without a CSRF token', async () => {
    const viewer = await testUser(app.database.pool, 'viewer');
    const first = await signIn(app.baseUrl, viewer.username, viewer.password);
    await app.database.pool.query("UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = $1", [viewer.id]);
    expect((await fetch(`${app.baseUrl}/api/auth/me`, { headers: { cookie: first.cookie } })).status).toBe(401);

    const again = await post('/api/auth/login', { username: viewer.username, password: viewer.password }, { cookie: first.cookie });
    expect(again.status).toBe(200);
    const { rows } = await app.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [viewer.id]);
    expect(rows[0]!.n).toBe(1);
  });

  it('ends the session on sign-out', async () => {
    const user = await testUser(app.database.pool, 'dispatcher');
    const session = await signIn(app.baseUrl, user.username, user.password);
    expect((await post('/api/auth/logout', {}, session.writeHeaders)).status).toBe(204);
    expect((await fetch(`${app.baseUrl}/api/auth/me`, { headers: { cookie: session.cookie } })).status).toBe(401);
  });
});

describe('cross-site request forgery', () => {
  it('refuses a cookie-authenticated write without the session CSRF token, and changes nothing', async () => {
    const user = await testUser(app.database.pool, 'lighting');
    const session = await signIn(app.baseUrl, user.username, user.password);
    const count = async () =>
      (await app.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1', [user.id])).rows[0]!.n;
    const forged = await post('/api/auth/tokens', { name: 'forged' }, { cookie: session.cookie });
    expect(forged.status).toBe(403);
    const wrongToken = await post('/api/auth/tokens', { name: 'forged' }, { cookie: session.cookie, 'x-csrf-token': 'guess' });
    expect(wrongToken.status).toBe(403);
    expect(await count()).toBe(0);
    expect((await post('/api/auth/tokens', { name: 'script' }, session.writeHeaders)).status).toBe(201);
    expect(await count()).toBe(1);
  });
});

describe('API tokens', () => {
  it('authenticate scripts until revoked, and are stored only as digests', async () => {
    const user = await testUser(app.database.pool, 'enforcement');
    const session = await signIn(app.baseUrl, user.username, user.password);
    const created = (await (await post('/api/auth/tokens', { name: 'importer' }, session.writeHeaders)).json()) as { id: number; token: string };
    const bearer = { authorization: `Bearer ${created.token}` };

    const me = await fetch(`${app.baseUrl}/api/auth/me`, { headers: bearer });
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe(user.username);
    const { rows } = await app.database.pool.query<{ token_digest: string }>('SELECT token_digest FROM api_tokens WHERE id = $1', [created.id]);
    expect(rows[0]!.token_digest).not.toContain(created.token);

    // A token cannot make another one: revoking a leaked token must end what it can do.
    const minted = await post('/api/auth/tokens', { name: 'successor' }, bearer);
    expect(minted.status).toBe(403);
    expect(minted.headers.get('content-type')).toMatch(/application\/problem\+json/);

    const listed = (await (await fetch(`${app.baseUrl}/api/auth/tokens`, { headers: { cookie: session.cookie } })).json()) as { tokens: { id: number; name: string; lastUsedAt: string | null; revokedAt: string | null }[] };
    expect(listed.tokens).toHaveLength(1);
    expect(listed.tokens[0]).toMatchObject({ id: created.id, name: 'importer', revokedAt: null });
    expect(listed.tokens[0]!.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.token);

    const revoke = await fetch(`${app.baseUrl}/api/auth/tokens/${created.id}`, { method: 'DELETE', headers: session.writeHeaders });
    expect(revoke.status).toBe(204);
    expect((await fetch(`${app.baseUrl}/api/auth/me`, { headers: bearer })).status).toBe(401);
    const afterRevoke = (await (await fetch(`${app.baseUrl}/api/auth/tokens`, { headers: { cookie: session.cookie } })).json()) as { tokens: { revokedAt: string | null }[] };
    expect(afterRevoke.tokens[0]!.revokedAt).not.toBeNull();
  });
});

describe('security headers', () => {
  it('sends a content security policy, no CORS grant and no server fingerprint', async () => {
    const response = await fetch(`${app.baseUrl}/api/layers`, { headers: { origin: 'https://elsewhere.example' } });
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

describe('anonymous reads turned off', () => {
  let closed: RunningApp;
  beforeAll(async () => {
    closed = await startTestApp({ anonymousReads: false });
  });
  afterAll(() => closed.close());

  it('asks for a sign-in before maps and features, but not for health', async () => {
    for (const path of ['/api/layers', '/ogc/collections/alleys/items?limit=1', '/tiles/alleys/15/27033/12792.mvt', '/tiles/alleys.json']) {
      const response = await fetch(`${closed.baseUrl}${path}`);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await fetch(`${closed.baseUrl}/api/health`)).status).toBe(200);
    const viewer = await testUser(closed.database.pool, 'viewer');
    const session = await signIn(closed.baseUrl, viewer.username, viewer.password);
    expect((await fetch(`${closed.baseUrl}/ogc/collections/alleys/items?limit=1`, { headers: { cookie: session.cookie } })).status).toBe(200);
    // A tile cached for one reader is still not handed to an anonymous one.
    await fetch(`${closed.baseUrl}/tiles/alleys/15/27033/12792.mvt`, { headers: { cookie: session.cookie } });
    expect((await fetch(`${closed.baseUrl}/tiles/alleys/15/27033/12792.mvt`)).status).toBe(401);
  });
});
