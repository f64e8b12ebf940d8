import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badRequest, problemHandler } from './problem.ts';

const logged: { err?: Error; msg?: string }[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });

const app = express();
app.get('/fails-before-answering', () => {
  throw badRequest('No.', [{ name: 'q', reason: 'wrong' }]);
});
app.get('/fails-mid-body', (_request, response, next) => {
  // Fails once the start of the body is on the wire, as a page whose cursor breaks mid-way.
  response.type('application/json').write('{"features":[', () => next(new Error('the cursor broke')));
});
app.use(problemHandler(logger));
/** Whatever the problem handler itself throws lands here. */
const handlerFailures: Error[] = [];
app.use((error: Error, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
  handlerFailures.push(error);
  response.destroy();
});

const server = createServer(app);
let baseUrl: string;
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('problemHandler', () => {
  it('answers an error before the response began with problem+json', async () => {
    const response = await fetch(`${baseUrl}/fails-before-answering`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 400, 'invalid-params': [{ name: 'q' }] });
  });

  it('cuts the connection on an error after the response began, so the client sees the body is incomplete', async () => {
    logged.length = 0;
    const response = await fetch(`${baseUrl}/fails-mid-body`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(handlerFailures).toEqual([]);
    expect(logged.map((entry) => entry.err?.message)).toEqual(['the cursor broke']);
  });
});
