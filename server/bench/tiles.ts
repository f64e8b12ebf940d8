/**
 * Benchmarks measured side by side in one run, so a shared, noisy machine still gives
 * comparable ratios. Over the same fixed list of tiles (z10-z16 across the city):
 *   1. raw: the tile queries straight through `pg`, as many in flight as the HTTP load has;
 *   2. /tiles with the cache off, from a separate server process, under autocannon;
 *   3. /tiles with the cache warm.
 * And /ogc items pages of 1,000 features against the same SQL through `pg`.
 * Usage: DATABASE_URL=postgres://... npm run bench [-- --seconds 15 --concurrency 16,64 --layer streetlights]
 */
import { spawn, spawnSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import pino from 'pino';
import { externalSessionOptions, openDatabase } from '../src/db/engine.ts';
import { findLayer, type LayerDefinition } from '../src/registry/layers.ts';
import { itemsSql } from '../src/ogc/items-query.ts';
import { chooseTileEncoder, type TileAddress } from '../src/tiles/encoders.ts';

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    concurrency: { type: 'string', default: '16,64' },
    layers: { type: 'string', default: 'streetlights,alleys,roads,trash_hotspots' },
  },
});
const seconds = Number(options.seconds);
const concurrencies = options.concurrency.split(',').map(Number);
const benchLayers = options.layers.split(',').map((id) => {
  const found = findLayer(id);
  if (!found) throw new Error(`unknown layer ${id}`);
  return found;
});
/** OGC pages come from the largest layer. */
const layer = benchLayers[0]!;

const logger = pino({ level: 'warn' });
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL/PostGIS holding the demo city (npm run seed -- --scale 100).');
  process.exit(2);
}
const database = await openDatabase({ databaseUrl, dataDir: 'unused', logger });

interface BenchTile extends TileAddress {
  layer: LayerDefinition;
}

/**
 * ~100 tiles from z10 to z16 holding the layers' features, chosen the same way every run; each
 * layer only at the zooms it serves (outside them the endpoint answers an empty tile without
 * the database, which would flatter it).
 */
async function fixedTileList(): Promise<BenchTile[]> {
  const list: BenchTile[] = [];
  const perLayerAndZoom = Math.ceil(100 / benchLayers.reduce((sum, each) => sum + (16 - Math.max(10, each.minzoom) + 1), 0));
  for (const benchLayer of benchLayers) {
    for (let zoom = Math.max(10, benchLayer.minzoom); zoom <= 16; zoom++) {
      const { rows } = await database.pool.query<{ x: number; y: number }>(
        `WITH samples AS (
           SELECT geom_3857 FROM ${benchLayer.table} WHERE deleted_at IS NULL AND id % 97 = 0 ORDER BY id LIMIT 2000
         )
         SELECT DISTINCT
           floor((ST_X(ST_Centroid(geom_3857)) + 20037508.342789244) / (40075016.68557849 / 2 ^ $1))::int AS x,
           floor((20037508.342789244 - ST_Y(ST_Centroid(geom_3857))) / (40075016.68557849 / 2 ^ $1))::int AS y
         FROM samples ORDER BY x, y LIMIT $2`,
        [zoom, perLayerAndZoom],
      );
      list.push(...rows.map(({ x, y }) => ({ layer: benchLayer, z: zoom, x, y })));
    }
  }
  return list;
}

interface Measured {
  tilesPerSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? NaN;
}

/** The database's own throughput: as many connections as requests in flight (up to 16, as
 *  pgbench -c16 would use), with the server's session settings. */
const rawPool = (concurrency: number) =>
  new pg.Pool({ connectionString: databaseUrl, max: Math.min(concurrency, 16), options: externalSessionOptions });

/** Runs the i-th request's query, `concurrency` at a time, for the measurement's seconds;
 *  `prepare` makes that query once the pool is open. */
async function measureThroughPg(
  concurrency: number,
  prepare: (pool: pg.Pool) => Promise<(index: number) => Promise<unknown>>,
): Promise<Measured> {
  const pool = rawPool(concurrency);
  const query = await prepare(pool);
  const latencies: number[] = [];
  let next = 0;
  const endAt = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < endAt) {
        const started = performance.now();
        await query(next++);
        latencies.push(performance.now() - started);
      }
    }),
  );
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { tilesPerSecond: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

function measureRaw(tiles: BenchTile[], concurrency: number): Promise<Measured> {
  // The encoder the server itself would choose, so both sides run the same tile SQL.
  return measureThroughPg(concurrency, async (pool) => {
    const encoder = await chooseTileEncoder({ pool, engine: 'postgres' });
    return (index) => {
      const tile = tiles[index % tiles.length]!;
      return encoder.encode(tile.layer, tile);
    };
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startServer(port: number, environment: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEMO_MODE: 'off', LOG_LEVEL: 'warn', ...environment },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  child.kill();
  throw new Error('the server did not start');
}

const tilePath = ({ layer: tileLayer, z, x, y }: BenchTile) => `/tiles/${tileLayer.id}/${z}/${x}/${y}.mvt`;

async function measureEndpoint(port: number, tiles: BenchTile[], concurrency: number, gzip: boolean): Promise<Measured> {
  return measurePaths(
    port,
    tiles.map(tilePath),
    concurrency,
    gzip,
  );
}

/** wrk (C, Debian's package) loads the server with far less CPU than a Node load tool, which
 *  matters when both share two cores; autocannon stands in where wrk is not installed. */
const wrkAvailable = spawnSync('wrk', ['--version']).error === undefined;

function milliseconds(text: string): number {
  const match = /([\d.]+)(us|ms|s)/.exec(text);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

async function measurePathsWithWrk(port: number, paths: string[], concurrency: number, gzip: boolean): Promise<Measured> {
  const script = path.join(os.tmpdir(), `city-ops-bench-${process.pid}.lua`);
  await writeFile(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}
local index = 0
${gzip ? 'wrk.headers["Accept-Encoding"] = "gzip"' : ''}
request = function()
  index = index + 1
  return wrk.format("GET", paths[(index % #paths) + 1])
end
response = function(status)
  if status >= 300 then error("status " .. status) end
end`,
  );
  const threads = Math.min(2, concurrency);
  const result = spawnSync('wrk', ['-t', String(threads), '-c', String(concurrency), '-d', `${seconds}s`, '--timeout', '30s', '--latency', '-s', script, `http://127.0.0.1:${port}`], {
    encoding: 'utf8',
  });
  await rm(script, { force: true });
  if (result.status !== 0 || /Non-2xx/.test(result.stdout)) throw new Error(`wrk failed: ${result.stdout}${result.stderr}`);
  const line = (label: RegExp) => result.stdout.split('\n').find((text) => label.test(text)) ?? '';
  return {
    tilesPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(result.stdout)?.[1]),
    p50: milliseconds(line(/^\s+50%/).replace(/^\s+50%\s+/, '')),
    p99: milliseconds(line(/^\s+99%/).replace(/^\s+99%\s+/, '')),
  };
}

async function measurePaths(port: number, paths: string[], concurrency: number, gzip: boolean): Promise<Measured> {
  if (wrkAvailable) return measurePathsWithWrk(port, paths, concurrency, gzip);
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: concurrency,
    duration: seconds,
    headers: gzip ? { 'accept-encoding': 'gzip' } : {},
    requests: [
      {
        setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }),
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { tilesPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const format = (measured: Measured) =>
  `${measured.tilesPerSecond.toFixed(0).padStart(7)} tiles/s   p50 ${measured.p50.toFixed(1).padStart(6)} ms   p99 ${measured.p99.toFixed(1).padStart(6)} ms`;

const tiles = await fixedTileList();
const counts = await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${layer.table}`);
console.log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
console.log(`layers ${benchLayers.map((each) => each.id).join(', ')}; ${tiles.length} tiles z10-z16; ${layer.id} has ${counts.rows[0]!.n} rows; ${seconds} s per measurement`);
console.log(`load tool: ${wrkAvailable ? 'wrk' : 'autocannon (install wrk for less load-tool overhead)'}\n`);

/** Items pages of 1,000 features, the same SQL the endpoint runs, through `pg`. */
const pageSize = 1000;
const pageOffsets = Array.from({ length: 20 }, (_, index) => index * 7 * pageSize);
function measureRawPages(concurrency: number): Promise<Measured> {
  return measureThroughPg(concurrency, async (pool) => (index) =>
    pool.query(itemsSql(layer!, { limit: pageSize, offset: pageOffsets[index % pageOffsets.length]!, filters: [] })),
  );
}

const uncachedPort = await freePort();
const uncached = await startServer(uncachedPort, { DATABASE_URL: databaseUrl, TILE_CACHE_MB: '0' });
const cachedPort = await freePort();
const cached = await startServer(cachedPort, { DATABASE_URL: databaseUrl, TILE_CACHE_MB: '512' });
try {
  const sizes = await Promise.all(
    tiles.map(async (tile) => (await (await fetch(`http://127.0.0.1:${cachedPort}${tilePath(tile)}`)).arrayBuffer()).byteLength),
  );
  console.log(`tile sizes: median ${percentile([...sizes].sort((a, b) => a - b), 0.5)} B, largest ${Math.max(...sizes)} B (cache now warm)\n`);
  for (const concurrency of concurrencies) {
    const raw = await measureRaw(tiles, concurrency);
    const endpoint = await measureEndpoint(uncachedPort, tiles, concurrency, false);
    const endpointGzip = await measureEndpoint(uncachedPort, tiles, concurrency, true);
    const warm = await measureEndpoint(cachedPort, tiles, concurrency, false);
    const warmGzip = await measureEndpoint(cachedPort, tiles, concurrency, true);
    console.log(`tiles, concurrency ${concurrency}`);
    console.log(`  (1) raw SQL through pg          ${format(raw)}`);
    console.log(`  (2) /tiles, cache off           ${format(endpoint)}`);
    console.log(`  (2g) /tiles, cache off, gzip    ${format(endpointGzip)}`);
    console.log(`  (3) /tiles, cache warm          ${format(warm)}`);
    console.log(`  (3g) /tiles, cache warm, gzip   ${format(warmGzip)}`);
    console.log(`  ratio (2)/(1) = ${(endpoint.tilesPerSecond / raw.tilesPerSecond).toFixed(2)}  (target >= 0.85)`);
    console.log(`  ratio (2g)/(1) = ${(endpointGzip.tilesPerSecond / raw.tilesPerSecond).toFixed(2)}`);
    console.log(`  ratio (3)/(2) = ${(warm.tilesPerSecond / endpoint.tilesPerSecond).toFixed(1)}  (target >= 10)\n`);

    const rawPages = await measureRawPages(concurrency);
    const pages = await measurePaths(
      uncachedPort,
      pageOffsets.map((offset) => `/ogc/collections/${layer.id}/items?limit=${pageSize}&offset=${offset}`),
      concurrency,
      false,
    );
    console.log(`/ogc items pages of ${pageSize}, concurrency ${concurrency}`);
    console.log(`  raw SQL through pg              ${format(rawPages).replace('tiles/s', 'pages/s')}`);
    console.log(`  /ogc/collections/.../items      ${format(pages).replace('tiles/s', 'pages/s')}`);
    console.log(`  ratio = ${(pages.tilesPerSecond / rawPages.tilesPerSecond).toFixed(2)}  (target >= 0.8)\n`);
  }
} finally {
  uncached.kill('SIGTERM');
  cached.kill('SIGTERM');
  await database.close();
}
