/**
 * Requests that change something, and the errors the server answers them with. The server sends
 * every error as RFC 9457 problem+json; `ApiProblem` keeps its fields so a form can show each
 * `invalid-params` entry next to the input it names.
 */
import type { InvalidParam } from '../../../server/src/http/problem.ts';

export type { InvalidParam };

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly invalidParams: readonly InvalidParam[],
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }
}

/**
 * The CSRF token of the signed-in session. The session cookie is httpOnly and SameSite=strict; the
 * server still wants this header on every cookie-authenticated write, so it lives here, once.
 */
let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export interface Answer<T> {
  body: T;
  /** The version the server gave the feature: send it back as If-Match on the next write. */
  etag: string | undefined;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  ifMatch?: string;
  signal?: AbortSignal;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  let body: { title?: string; detail?: string; 'invalid-params'?: InvalidParam[] } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not problem+json (a proxy's error page): the status line is all we have.
  }
  return new ApiProblem(response.status, body.title ?? response.statusText, body.detail, body['invalid-params'] ?? []);
}

export async function request<T>(url: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
      // A feature read right after a write must be the new version, never a cached one.
      cache: 'no-store',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiProblem(0, 'Network error', (error as Error).message, []);
  }
  if (!response.ok) throw await problemOf(response);
  const text = response.status === 204 ? '' : await response.text();
  return { body: (text ? JSON.parse(text) : undefined) as T, etag: response.headers.get('ETag') ?? undefined };
}

/** "3" from the ETag `"3"` (or W/"3"): the feature's version number. */
export function versionOf(etag: string | undefined): number | undefined {
  const match = /^(?:W\/)?"(\d+)"$/.exec(etag?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

export function etagOf(version: number): string {
  return `"${version}"`;
}
