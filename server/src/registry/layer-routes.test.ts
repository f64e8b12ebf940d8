import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';
import { identifier } from '../tiles/tile-sql.ts';
import { layers } from './layers.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('GET /api/layers', () => {
  it('lists every registry layer with its tiles and fields, and no table names', async () => {
    const response = await fetch(`${app.baseUrl}/api/layers`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { layers: Record<string, unknown>[] };
    expect(body.layers.map((layer) => layer.id)).toEqual([
      'districts', 'grid_cells', 'roads', 'alleys', 'streetlights', 'trash_hotspots', 'vendor_zones', 'restricted_areas', 'cases',
    ]);
    const streetlights = body.layers.find((layer) => layer.id === 'streetlights')!;
    expect(streetlights.geometryType).toBe('Point');
    expect(streetlights.tiles).toBe('/tiles/streetlights/{z}/{x}/{y}.mvt');
    expect(streetlights).not.toHaveProperty('table');
  });
});

describe('the registry against the tables', () => {
  it.each(layers.map((layer) => [layer.id, layer] as const))(
    '%s: each exposed field is a column and each enum value passes the table check',
    async (_id, layer) => {
      const { rows } = await app.database.pool.query<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_name = $1',
        [layer.table],
      );
      const columns = rows.map((row) => row.column_name);
      for (const field of layer.fields) expect(columns).toContain(field.name);

      // Every value the registry offers must be storable, and a value it does not offer must not be.
      const client = await app.database.pool.connect();
      try {
        for (const field of layer.fields.filter((candidate) => candidate.values)) {
          const probe = async (value: string) => {
            await client.query('BEGIN');
            try {
              await client.query(`UPDATE ${identifier(layer.table)} SET ${identifier(field.name)} = $1 WHERE id = (SELECT min(id) FROM ${identifier(layer.table)})`, [value]);
              return true;
            } catch {
              return false;
            } finally {
              await client.query('ROLLBACK');
            }
          };
          for (const allowed of field.values!) expect(await probe(allowed.value), `${field.name}=${allowed.value}`).toBe(true);
          expect(await probe('not_a_value')).toBe(false);
        }
      } finally {
        client.release();
      }
    },
  );
});
