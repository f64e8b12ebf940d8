import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';
import { maxItemLimit } from '../ogc/items-query.ts';
import { layers } from '../registry/layers.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

interface Parameter {
  name: string;
  in: string;
  schema: { type?: string; enum?: string[]; maximum?: number; minimum?: number };
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Parameter[]; operationId: string; requestBody?: { content: Record<string, { schema: { properties: { properties: { properties: Record<string, { enum?: string[]; maximum?: number }> } } } }> } }>>;
}

describe('GET /api/openapi.json', () => {
  let document: Document;
  beforeAll(async () => {
    const response = await fetch(`${app.baseUrl}/api/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
  });

  it('describes the tiles, the service routes and every collection of the registry', () => {
    expect(document.openapi).toBe('3.0.3');
    for (const route of ['/api/health', '/api/layers', '/tiles/{layer}/{z}/{x}/{y}.mvt', '/tiles/{layer}.json', '/ogc', '/ogc/conformance', '/ogc/collections']) {
      expect(document.paths, route).toHaveProperty([route]);
    }
    for (const layer of layers) {
      expect(document.paths).toHaveProperty([`/ogc/collections/${layer.id}/items`]);
      expect(document.paths).toHaveProperty([`/ogc/collections/${layer.id}/items/{featureId}`]);
    }
    const operationIds = Object.values(document.paths).flatMap((path) => Object.values(path).map((operation) => operation.operationId));
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('describes the writes of each editable layer from the registry, and not of read-only ones', () => {
    for (const route of ['/api/auth/login', '/api/auth/me', '/api/features/{layer}/{featureId}/history', '/api/features/{layer}/{featureId}/restore/{version}', '/api/audit']) {
      expect(document.paths, route).toHaveProperty([route]);
    }
    const alleyWrite = document.paths['/ogc/collections/alleys/items']!.post!;
    const alleyProperties = alleyWrite.requestBody!.content['application/geo+json']!.schema.properties.properties.properties;
    expect(alleyProperties.renovation!.enum).toEqual(['surveyed', 'planned', 'in_progress', 'completed', 'reinspected']);
    expect(alleyProperties.width_m).toMatchObject({ minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true });
    expect(alleyProperties).not.toHaveProperty('length_m');
    expect(document.paths['/ogc/collections/alleys/items/{featureId}']).toHaveProperty(['patch']);
    expect(document.paths['/ogc/collections/districts/items']).not.toHaveProperty(['post']);
  });

  it('documents parameters from the schemas that validate them', async () => {
    const tileParameters = document.paths['/tiles/{layer}/{z}/{x}/{y}.mvt']!.get!.parameters!;
    expect(tileParameters.find((p) => p.name === 'z')!.schema).toMatchObject({ type: 'integer', minimum: 0, maximum: 22 });
    expect(tileParameters.find((p) => p.name === 'layer')!.schema.enum).toEqual(layers.map((layer) => layer.id));

    const itemParameters = document.paths['/ogc/collections/streetlights/items']!.get!.parameters!;
    expect(itemParameters.find((p) => p.name === 'limit')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: maxItemLimit });
    const status = itemParameters.find((p) => p.name === 'status')!;
    expect(status.schema.enum).toEqual(['working', 'out', 'repairing']);
    expect(document.paths['/ogc/collections/cases/items']!.get!.parameters!.map((p) => p.name)).toContain('datetime');
    expect(itemParameters.map((p) => p.name)).not.toContain('datetime');

    // What the document allows is accepted, and what it forbids is refused.
    const statusOf = async (query: string) => {
      const response = await fetch(`${app.baseUrl}/ogc/collections/streetlights/items?${query}`);
      await response.arrayBuffer();
      return response.status;
    };
    for (const value of status.schema.enum!) expect(await statusOf(`limit=1&status=${value}`)).toBe(200);
    expect(await statusOf('status=flickering')).toBe(400);
    expect(await statusOf(`limit=${maxItemLimit}`)).toBe(200);
    expect(await statusOf(`limit=${maxItemLimit + 1}`)).toBe(400);
  });

  it('renders the document on a docs page', async () => {
    const page = await fetch(`${app.baseUrl}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/api/docs/assets/swagger-ui-bundle.js');
    const bundle = await fetch(`${app.baseUrl}/api/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });
});
