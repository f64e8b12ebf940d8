import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../data/demo-city/random.ts';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const hostileValues = [
  "'", "''", '"', ';', "1;DROP TABLE alleys", "' OR '1'='1", '1 UNION SELECT * FROM pg_user', '--', '/*', '%00', '\u0000',
  'NaN', 'Infinity', '-Infinity', '1e309', '-1', '-0', '0x10', '1.5', '99999999999999999999', '', ' ', '..', '../..',
  '%27', '%2F', '\\', '<script>', '{"a":1}', '[]', 'null', 'undefined', 'true', '路灯', '🙂', 'a'.repeat(5000),
];

/** Dates that do not exist or that PostgreSQL cannot hold, beside a few it can. */
const dateLikeValues = [
  '0000-01-01', '0000-12-31T23:00:00Z/..', '../0000-01-01', '2026-02-30', '2026-02-29T10:00:00Z', '2026-04-31', '2026-00-10',
  '2026-01-01T24:00:00Z', '2026-01-01T23:59:60Z', '2026-01-01T10:00:00+24:00', '9999-12-31T23:59:59-05:00', '0001-01-01T00:00:00+01:00',
  '99999-01-01', '-0001-01-01', '2026-9-1', '2026-09-01/..', '1990-01-01/1990-12-31', '2026-09-01T08:00:00+08:00', '2024-02-29',
];

function requestFor(random: () => number): string {
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const layer = pick(['streetlights', 'alleys', 'cases', 'vendor_zones', 'districts', 'nope', "x'y", '..', '%2e%2e']);
  const bad = () => encodeURIComponent(pick(hostileValues));
  const number = () => pick(['-1', '23', '4194304', '1.5', 'abc', '1e3', '0', '5']);
  switch (Math.floor(random() * 7)) {
    case 0:
      return `/tiles/${layer}/${number()}/${number()}/${number()}.mvt`;
    case 1:
      return `/tiles/${layer}/${bad()}/${bad()}/${bad()}.mvt`;
    case 2:
      return `/tiles/${bad()}.json`;
    case 3: {
      const parameters = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        `${pick(['bbox', 'limit', 'offset', 'datetime', 'status', 'kind', 'f', bad()])}=${pick([bad(), '1,2,3', '0,91,1,92', '2,2,1,1', 'NaN,0,1,1', '10001', '2026-13-45', '../..', 'out', '1,2,3,4', '10000000'])}`,
      );
      return `/ogc/collections/${layer}/items?${parameters.join('&')}`;
    }
    case 4:
      return `/ogc/collections/${layer}/items/${bad()}`;
    case 5:
      return `/ogc/collections/cases/items?datetime=${encodeURIComponent(pick(dateLikeValues))}&limit=${pick(['1', '10', '5000'])}`;
    default:
      return `/ogc/collections/${bad()}`;
  }
}

describe('fuzzing the read routes', () => {
  it('answers 600 generated bad requests without a 5xx, with problem+json or whole JSON, and stays healthy', async () => {
    // Seeded, so a failing request can be reproduced.
    const seeded = new Random(20261123);
    const random = () => seeded.fraction();
    const failures: string[] = [];
    let problems = 0;
    for (let index = 0; index < 600; index++) {
      const path = requestFor(random);
      let response: Response;
      let body: string;
      try {
        response = await fetch(`${app.baseUrl}${path}`);
        body = await response.text();
      } catch (error) {
        // The server cut the connection, before the answer or mid-body.
        failures.push(`${path}: the connection dropped (${(error as Error).message})`);
        continue;
      }
      if (response.status >= 500) failures.push(`${response.status} ${path}: ${body.slice(0, 200)}`);
      if (response.status === 200 && /json/.test(response.headers.get('content-type') ?? '')) {
        try {
          JSON.parse(body);
        } catch {
          failures.push(`200 ${path} is not whole JSON: ${body.slice(0, 200)} ... ${body.slice(-100)}`);
        }
      }
      if (response.status >= 400) {
        problems++;
        expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      }
    }
    expect(failures).toEqual([]);
    expect(problems).toBeGreaterThan(400);

    const health = await fetch(`${app.baseUrl}/api/health`);
    expect(health.status).toBe(200);
    const { rows } = await app.database.pool.query<{ alleys: number; lamps: number }>(
      'SELECT (SELECT count(*)::int FROM alleys) AS alleys, (SELECT count(*)::int FROM streetlights) AS lamps',
    );
    expect(rows[0]!.alleys).toBe(693);
    expect(rows[0]!.lamps).toBeGreaterThan(10_000);
  });
});
