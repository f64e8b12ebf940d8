/**
 * What every browser test needs: a console server of its own on a free port (embedded database,
 * demo city), Debian's Chromium with the flags that make WebGL work headless, and a wait for a
 * quiet map.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const builtIndex = path.join(repoRoot, 'dist/client/index.html');
export const screenshotDirectory = fileURLToPath(new URL('./screenshots/', import.meta.url));
const chromiumPath = '/usr/bin/chromium';
export const viewport = { width: 1280, height: 800 };

export function checkPrerequisites(): void {
  if (!existsSync(builtIndex)) {
    throw new Error(`${builtIndex} is missing: run \`npm run build\` before the browser tests.`);
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium package (apt-get install chromium).`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  process: ChildProcess;
  baseUrl: string;
  output: string[];
}

export function startServer(port: number, demoPassword = 'demo'): RunningServer {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: 'memory://', DEMO_PASSWORD: demoPassword, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { process: child, baseUrl: `http://127.0.0.1:${port}`, output };
}

export async function waitForHealth(server: RunningServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) {
      throw new Error(`The server exited with code ${server.process.exitCode}:\n${server.output.join('')}`);
    }
    try {
      const response = await fetch(`${server.baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet: the embedded engine and the demo city are still loading.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`GET /api/health did not answer within ${timeoutMs / 1000} s:\n${server.output.join('')}`);
}

export async function stopServer(server: RunningServer | undefined): Promise<void> {
  const child = server?.process;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist',
    ],
  });
}

/**
 * A new zh-CN page on the console, map ready. Page errors and any request leaving our origin
 * (the console must work offline) are pushed to `browserErrors`.
 */
export async function openConsole(browser: Browser, server: RunningServer, browserErrors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport, locale: 'zh-CN' });
  page.on('pageerror', (error) => browserErrors.push(error.message));
  const origin = server.baseUrl;
  await page.route(
    (url) => url.origin !== origin && url.protocol.startsWith('http'),
    (route) => {
      browserErrors.push(`request outside our origin: ${route.request().url()}`);
      return route.abort();
    },
  );
  await page.goto(`${server.baseUrl}/`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 90_000 });
  return page;
}

export async function waitForQuietMap(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      window.__cityMap?.areTilesLoaded() === true &&
      !window.__cityMap.isMoving() &&
      document.querySelector('.status-tiles')?.getAttribute('data-loading') === 'false',
    undefined,
    { timeout: 60_000, polling: 200 },
  );
}
