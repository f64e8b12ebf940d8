import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('GET /api/health', () => {
  it('reports the engine and the PostGIS version', async () => {
    const response = await fetch(`${app.baseUrl}/api/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; database: { engine: string; postgis: string } };
    expect(body.status).toBe('ok');
    expect(body.database.engine).toBe(inject('databaseEngine'));
    expect(body.database.postgis).toMatch(/^3\.\d+/);
  });

  it('answers unknown API paths with 404 problem+json', async () => {
    const response = await fetch(`${app.baseUrl}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
