import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  readyAfterMs: number;
}

/** `node server/src/main.ts` as `npm start` runs it (without the client build), until it prints its URL. */
async function startServer(environment: Record<string, string>): Promise<Started> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('console ready')) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`the server exited with ${child.exitCode}:\n${output}`));
      }
    }, 100);
  });
  return { child, output: () => output, readyAfterMs: Date.now() - startedAt };
}

/** A command that is expected to stop by itself: its exit code and what it wrote to stderr. */
async function runToExit(args: string[], environment: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...environment }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

async function stopWith(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return exited;
}

describe('npm start on the embedded engine', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'city-ops-start-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('creates and seeds the database, stops cleanly on SIGTERM, and starts again warm with the same data', async () => {
    const port = String(await freePort());
    const cold = await startServer({ PORT: port, DATA_DIR: dataDir, DEMO_PASSWORD: 'demo-password-1' });
    expect(cold.output()).toContain('Password: demo-password-1');
    expect(cold.output()).toContain('loading the demo city');
    expect(cold.output()).toContain(`http://localhost:${port}/`);
    const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { database: { engine: string } };
    expect(health.database.engine).toBe('pglite');
    const firstPage = await (await fetch(`http://127.0.0.1:${port}/ogc/collections/alleys/items?limit=1`)).text();
    expect(await stopWith(cold.child, 'SIGTERM')).toBe(0);
    expect(cold.output()).toContain('stopped');

    const warm = await startServer({ PORT: port, DATA_DIR: dataDir, DEMO_PASSWORD: 'demo-password-1' });
    try {
      expect(warm.output()).not.toContain('loading the demo city');
      expect(cold.output()).toContain('first start only');
      expect(warm.output()).not.toContain('first start');

      // A seed or a second server over the folder of a running server (the seed once corrupted it).
      const inUse = { code: 1, stderr: `DATA_DIR ${dataDir} is in use by process ${warm.child.pid} (the console server?). Stop it first.\n` };
      expect(await runToExit(['data/seed-cli.ts', '--replace', '--scale', '0.05'], { DATA_DIR: dataDir, DATABASE_URL: '' })).toEqual(inUse);
      expect(await runToExit(['server/src/main.ts'], { PORT: String(await freePort()), DATA_DIR: dataDir, DATABASE_URL: '' })).toEqual(inUse);

      const alleys = (await (await fetch(`http://127.0.0.1:${port}/ogc/collections/alleys/items?limit=1000`)).json()) as { numberReturned: number };
      expect(alleys.numberReturned).toBe(693);
      const samePage = await (await fetch(`http://127.0.0.1:${port}/ogc/collections/alleys/items?limit=1`)).text();
      expect(JSON.parse(samePage).features).toEqual(JSON.parse(firstPage).features);
      console.log(`cold start ready in ${(cold.readyAfterMs / 1000).toFixed(1)} s, warm start in ${(warm.readyAfterMs / 1000).toFixed(1)} s`);
    } finally {
      expect(await stopWith(warm.child, 'SIGINT')).toBe(0);
    }
  }, 240_000);

  it('keeps every acknowledged write, with its audit row, when killed in the middle of a burst', async () => {
    const port = String(await freePort());
    const environment = { PORT: port, DATA_DIR: dataDir, DEMO_PASSWORD: 'demo-password-1' };
    const base = `http://127.0.0.1:${port}`;
    const server = await startServer(environment);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'sanitation', password: 'demo-password-1' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };

    // Each lane creates a hotspot, then edits it, over and over: creates and updates in flight.
    const acknowledged = new Map<number, { version: number; volume: number }>();
    let acknowledgedWrites = 0;
    let killed = false;
    const writer = async (lane: number) => {
      let current: { id: number; etag: string } | undefined;
      for (let step = 0; !killed; step++) {
        try {
          const volume = step + 1;
          const response = current
            ? await fetch(`${base}/ogc/collections/trash_hotspots/items/${current.id}`, {
                method: 'PATCH',
                headers: { ...headers, 'if-match': current.etag },
                body: JSON.stringify({ type: 'Feature', properties: { volume_m3: volume } }),
              })
            : await fetch(`${base}/ogc/collections/trash_hotspots/items`, {
                method: 'POST',
                headers,
                body: JSON.stringify({
                  type: 'Feature',
                  geometry: { type: 'Point', coordinates: [117 + lane * 0.001, 36.66 + step * 0.00001] },
                  properties: { kind: 'exposed_garbage', volume_m3: volume, status: 'reported', reported_at: '2026-11-20T09:00:00Z', district: 'lixia' },
                }),
              });
          if (response.status !== 200 && response.status !== 201) continue;
          const { id } = (await response.json()) as { id: number };
          const etag = response.headers.get('etag')!;
          acknowledged.set(id, { version: Number(etag.replaceAll('"', '')), volume });
          acknowledgedWrites += 1;
          // Three edits, then a new feature.
          current = step % 4 === 3 ? undefined : { id, etag };
        } catch {
          return; // the server is gone
        }
      }
    };
    const lanes = [0, 1, 2, 3].map(writer);
    while (acknowledgedWrites < 60) await new Promise((resolve) => setTimeout(resolve, 20));
    server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(lanes);

    const restarted = await startServer(environment);
    try {
      for (const [id, write] of acknowledged) {
        const stored = await fetch(`${base}/ogc/collections/trash_hotspots/items/${id}`);
        expect(stored.status, `feature ${id}`).toBe(200);
        // A write in flight at the kill may have landed unacknowledged: never fewer versions.
        const version = Number(stored.headers.get('etag')!.replaceAll('"', ''));
        expect(version).toBeGreaterThanOrEqual(write.version);
        if (version === write.version) expect(((await stored.json()) as { properties: { volume_m3: number } }).properties.volume_m3).toBe(write.volume);
        const history = (await (await fetch(`${base}/api/features/trash_hotspots/${id}/history`, { headers: { cookie } })).json()) as {
          entries: { action: string; version: number }[];
        };
        // One audit row per version, from the create up.
        expect(history.entries.map((entry) => entry.version)).toEqual(Array.from({ length: version }, (_, index) => version - index));
        expect(history.entries.at(-1)!.action).toBe('create');
      }
      console.log(`${acknowledgedWrites} writes (${acknowledged.size} features) acknowledged before SIGKILL, all present with their audit rows after restart`);
    } finally {
      await stopWith(restarted.child, 'SIGTERM');
    }
  }, 240_000);

  it('exits non-zero when draining outlasts the shutdown limit', async () => {
    const port = String(await freePort());
    const stalled = await startServer({ PORT: port, DATA_DIR: 'memory://', DEMO_MODE: 'off' });
    // A request whose body never finishes keeps its connection busy, so the server cannot close.
    const client = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    client.write(`POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user`);
    client.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signalledAt = Date.now();
    expect(await stopWith(stalled.child, 'SIGTERM')).toBe(1);
    const waited = Date.now() - signalledAt;
    client.destroy();
    expect(stalled.output()).toContain('shutdown took longer than 10 s');
    expect(stalled.output()).not.toContain('"msg":"stopped"');
    expect(waited).toBeGreaterThanOrEqual(9_500);
    expect(waited).toBeLessThan(20_000);
  }, 120_000);

  it('refuses a wrong setting with a message naming it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: { ...process.env, PORT: 'eighty', DATA_DIR: 'memory://' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/Invalid configuration:[\s\S]*PORT/);
  });
});
