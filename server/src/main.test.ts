import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
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

    const acknowledged: { id: number; version: number }[] = [];
    let killed = false;
    const writer = async (lane: number) => {
      for (let step = 0; !killed; step++) {
        try {
          const response = await fetch(`${base}/ogc/collections/trash_hotspots/items`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
              type: 'Feature',
              geometry: { type: 'Point', coordinates: [117 + lane * 0.001, 36.66 + step * 0.00001] },
              properties: { kind: 'exposed_garbage', volume_m3: step + 1, status: 'reported', reported_at: '2026-11-20T09:00:00Z', district: 'lixia' },
            }),
          });
          if (response.status === 201) acknowledged.push({ id: ((await response.json()) as { id: number }).id, version: 1 });
        } catch {
          return; // the server is gone
        }
      }
    };
    const lanes = [0, 1, 2, 3].map(writer);
    while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 20));
    server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(lanes);

    const restarted = await startServer(environment);
    try {
      const { features } = (await (await fetch(`${base}/ogc/collections/trash_hotspots/items?limit=10000&kind=exposed_garbage&status=reported`)).json()) as {
        features: { id: number }[];
      };
      const present = new Set(features.map((feature) => feature.id));
      const missing = acknowledged.filter((write) => !present.has(write.id));
      expect(missing).toEqual([]);
      for (const write of acknowledged.slice(-5)) {
        const history = (await (await fetch(`${base}/api/features/trash_hotspots/${write.id}/history`)).json()) as { entries: { action: string }[] };
        expect(history.entries.map((entry) => entry.action)).toEqual(['create']);
      }
      console.log(`${acknowledged.length} writes acknowledged before SIGKILL, all present after restart`);
    } finally {
      await stopWith(restarted.child, 'SIGTERM');
    }
  }, 240_000);

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
