import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';
import { tileContaining } from '../../test/tile-math.ts';
import { layers } from '../registry/layers.ts';
import { identifier } from '../tiles/tile-sql.ts';

const run = promisify(execFile);

async function gdalVersion(): Promise<string | undefined> {
  try {
    return (await run('ogrinfo', ['--version'])).stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * Runs a GDAL tool at its defaults. GDAL reports a failed request (a page cut short, a body that
 * is not JSON) on stderr and carries on with what it has, so any ERROR there fails the test.
 */
async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<string> {
  const { stdout, stderr } = await run(tool, args, { maxBuffer: 256 * 2 ** 20 });
  expect(stderr, `${tool} ${args.join(' ')}`).not.toContain('ERROR');
  return stdout;
}

async function liveFeatureCount(table: string): Promise<number> {
  const { rows } = await app.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${identifier(table)} WHERE deleted_at IS NULL`);
  return rows[0]!.n;
}

/** "Feature Count: N" from ogrinfo's summary of one layer. */
function featureCount(summary: string): number {
  const match = /Feature Count: (\d+)/.exec(summary);
  if (!match) throw new Error(`ogrinfo printed no feature count:\n${summary}`);
  return Number(match[1]);
}

let app: RunningApp;
let version: string | undefined;
let workDirectory: string;
beforeAll(async () => {
  version = await gdalVersion();
  // .ci/run installs gdal-bin and exports CI=true: there a missing ogrinfo fails, never skips.
  if (!version && process.env.CI) throw new Error('CI must have GDAL: .ci/run installs gdal-bin');
  app = await startTestApp();
  workDirectory = await mkdtemp(path.join(tmpdir(), 'city-ops-gdal-'));
});
afterAll(async () => {
  // Neither exists when the GDAL check above failed.
  await app?.close();
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

// GDAL (Debian's gdal-bin) as a real client; .ci/run installs it. Without it these tests say so.
describe('GDAL reads the API', () => {
  it('lists every collection through OAPIF with the feature count the database has', async (context) => {
    if (!version) context.skip('ogrinfo (gdal-bin) is not installed');
    const listing = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${app.baseUrl}/ogc`]);
    for (const layer of layers) expect(listing).toContain(`: ${layer.id} (title: ${layer.title.en})`);

    for (const layer of layers) {
      const summary = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${app.baseUrl}/ogc`, layer.id]);
      expect(featureCount(summary), layer.id).toBe(await liveFeatureCount(layer.table));
    }
  }, 180_000);

  it("reads every feature of every collection page by page, at GDAL's own page size", async (context) => {
    if (!version) context.skip('ogrinfo (gdal-bin) is not installed');
    // GDAL follows next links to the end, so a broken last page (an empty one, say) shows here.
    for (const layer of layers) {
      const read = JSON.parse(await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', `OAPIF:${app.baseUrl}/ogc`, layer.id])) as { features: unknown[] };
      expect(read.features.length, layer.id).toBe(await liveFeatureCount(layer.table));
    }
  }, 300_000);

  it('reads a vector tile with its MVT driver, holding the lamps the database has in the buffered tile', async (context) => {
    if (!version) context.skip('ogrinfo (gdal-bin) is not installed');
    const { z, x, y } = tileContaining(117.0, 36.66, 15);
    const tile = Buffer.from(await (await fetch(`${app.baseUrl}/tiles/streetlights/${z}/${x}/${y}.mvt`)).arrayBuffer());
    const folder = path.join(workDirectory, String(z), String(x));
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, `${y}.pbf`);
    await writeFile(file, tile);
    const stdout = await gdal('ogrinfo', ['-ro', '-al', '-so', '-oo', 'CLIP=NO', '-oo', `X=${x}`, '-oo', `Y=${y}`, '-oo', `Z=${z}`, `MVT:${file}`]);
    expect(stdout).toContain('Layer name: streetlights');
    const { rows } = await app.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM streetlights
       WHERE ST_Intersects(geom_3857, ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)) AND deleted_at IS NULL`,
      [z, x, y],
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(featureCount(stdout)).toBe(rows[0]!.n);
  });
});
