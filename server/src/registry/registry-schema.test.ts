/**
 * The registry states each field's rules once, for the write checks, the form and the API docs;
 * the tables state them again as NOT NULL, DEFAULT and CHECK. These tests hold the two together:
 * a value the registry lets through must be one the table takes, or a write ends in the
 * database's error instead of a 422 that names the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/test-app.ts';
import type { Database } from '../db/database.ts';
import { parseFeatureInput } from '../ogc/feature-input.ts';
import type { Bounds } from '../tiles/layer-extents.ts';
import { identifier } from '../tiles/tile-sql.ts';
import { layers, type FieldDefinition, type LayerDefinition } from './layers.ts';

let database: Database;
beforeAll(() => {
  database = testDatabase();
});
afterAll(() => database.close());

const writableLayers = layers.filter((layer) => layer.editableBy.length > 0);
const storedFields = (layer: LayerDefinition) => layer.fields.filter((field) => !field.derived);

describe.each(writableLayers.map((layer) => [layer.id, layer] as const))('the registry of %s', (_id, layer) => {
  it('marks optional exactly the nullable columns, and gives the columns\' defaults', async () => {
    const { rows } = await database.pool.query<{ column_name: string; is_nullable: 'YES' | 'NO'; column_default: string | null }>(
      `SELECT column_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
      [layer.table],
    );
    for (const field of storedFields(layer)) {
      const column = rows.find((row) => row.column_name === field.name);
      expect(column, field.name).toBeDefined();
      expect(field.optional === true, `${field.name} optional`).toBe(column!.is_nullable === 'YES');
      const tableDefault = column!.column_default === null ? undefined : /^'(.*)'::/.exec(column!.column_default)?.[1];
      expect(field.defaultValue, `${field.name} default`).toBe(tableDefault);
    }
  });

  const boundedFields = storedFields(layer).filter(
    (field) => field.minimum !== undefined || field.maximum !== undefined || field.exclusiveMinimum !== undefined || field.exclusiveMaximum !== undefined,
  );
  it.skipIf(boundedFields.length === 0)('accepts in the table exactly the numbers the registry accepts, at and beside each bound', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: number }>(`SELECT id FROM ${identifier(layer.table)} ORDER BY id LIMIT 1`);
      const id = rows[0]!.id;
      for (const field of boundedFields) {
        for (const value of probesOf(field)) {
          await client.query('SAVEPOINT probe');
          const tableTakes = await client.query(`UPDATE ${identifier(layer.table)} SET ${identifier(field.name)} = $1 WHERE id = $2`, [value, id]).then(
            () => true,
            () => false,
          );
          await client.query('ROLLBACK TO SAVEPOINT probe');
          expect(tableTakes, `${field.name} = ${value}`).toBe(registryTakes(layer, field, value));
        }
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

/** Each bound, and a step either side of it. */
function probesOf(field: FieldDefinition): number[] {
  const step = field.type === 'integer' ? 1 : 0.001;
  const bounds = [field.minimum, field.maximum, field.exclusiveMinimum, field.exclusiveMaximum].filter((bound) => bound !== undefined);
  return bounds.flatMap((bound) => [bound - step, bound, bound + step]);
}

/** What the write checks say of the value, as a PATCH of that one property. */
function registryTakes(layer: LayerDefinition, field: FieldDefinition, value: number): boolean {
  const wholeWorld: Bounds = [-180, -90, 180, 90];
  return parseFeatureInput(layer, { type: 'Feature', properties: { [field.name]: value } }, 'patch', wholeWorld).problems.length === 0;
}
