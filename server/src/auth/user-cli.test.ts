import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { signIn } from '../../test/accounts.ts';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** `npm run user -- …` against the test run's database. */
function userCli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/auth/user-cli.ts', ...args], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('npm run user', () => {
  it('adds an account that can sign in, and disabling it ends its session at once', async () => {
    const username = `officer-${randomBytes(3).toString('hex')}`;
    const added = userCli('add', username, '--role', 'enforcement', '--password', 'a-long-password');
    expect(added.output).toContain(`created ${username} (enforcement)`);
    expect(added.status).toBe(0);
    const session = await signIn(app.baseUrl, username, 'a-long-password');
    expect(userCli('list').output).toMatch(new RegExp(`${username}\\s+enforcement\\s+active`));

    expect(userCli('disable', username).status).toBe(0);
    expect((await fetch(`${app.baseUrl}/api/auth/me`, { headers: { cookie: session.cookie } })).status).toBe(401);
    await expect(signIn(app.baseUrl, username, 'a-long-password')).rejects.toThrow(/401/);
    expect(userCli('list').output).toMatch(new RegExp(`${username}\\s+enforcement\\s+disabled`));

    expect(userCli('enable', username).status).toBe(0);
    await expect(signIn(app.baseUrl, username, 'a-long-password')).resolves.toHaveProperty('csrfToken');
  });

  it('explains wrong arguments and refuses a duplicate or unknown user', () => {
    const badRole = userCli('add', 'someone', '--role', 'mayor');
    expect(badRole.status).toBe(2);
    expect(badRole.output).toContain('--role must be one of admin, planner');
    expect(userCli('frobnicate').output).toContain('unknown command "frobnicate"');

    const username = `twice-${randomBytes(3).toString('hex')}`;
    expect(userCli('add', username, '--role', 'viewer').output).toMatch(/password: \S{8,}/);
    const again = userCli('add', username, '--role', 'viewer');
    expect(again.status).toBe(1);
    expect(again.output).toContain('already exists');
    expect(userCli('disable', 'nobody-here').output).toContain('there is no user nobody-here');
  });
});
