/**
 * The typed client of the server. Types come from the server's registry (type-only imports, so no
 * server code is bundled): one source of truth for both sides.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import type { PublishedLayer } from '../../../server/src/registry/layer-routes.ts';

export type { PublishedLayer };
export type {
  EnumValue,
  FieldDefinition,
  GeometryType,
  LocalizedText,
} from '../../../server/src/registry/layers.ts';

export interface Health {
  status: 'ok';
  database: { engine: 'pglite' | 'postgres'; postgis: string };
}

export interface DistrictProperties {
  code: string;
  name: string;
  name_en: string;
}

/** A fetch that failed: the console shows it in the error banner. */
export class ApiError extends Error {
  constructor(
    readonly url: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(url, undefined, `${url}: ${(error as Error).message}`);
  }
  if (!response.ok) {
    throw new ApiError(url, response.status, `${url}: HTTP ${response.status} ${response.statusText}`);
  }
  return (await response.json()) as T;
}

export function fetchHealth(signal?: AbortSignal): Promise<Health> {
  return getJson<Health>('/api/health', signal);
}

export async function fetchLayers(signal?: AbortSignal): Promise<PublishedLayer[]> {
  const body = await getJson<{ layers: PublishedLayer[] }>('/api/layers', signal);
  return body.layers;
}

export function fetchDistricts(signal?: AbortSignal): Promise<FeatureCollection<Geometry, DistrictProperties>> {
  // Five districts in the demo city; the limit leaves room for a real city's dozen or so.
  return getJson('/ogc/collections/districts/items?limit=100', signal);
}

/** Tile URLs in a MapLibre style or a deck.gl layer must be absolute: workers resolve them. */
export function absoluteUrl(path: string): string {
  // Keep the {z}/{x}/{y} placeholders readable: URL() would percent-encode the braces.
  return `${window.location.origin}${path}`;
}
