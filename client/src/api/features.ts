/** OGC API Features Part 4 writes, a feature's history and restore, and the admin change log. */
import type { Feature, Geometry } from 'geojson';
import type { AuditAction, AuditEntry } from '../../../server/src/audit/audit-log.ts';
import { request, type Answer } from './http.ts';

export type { AuditAction, AuditEntry };

export type FeatureProperties = Record<string, string | number | boolean | null>;
export type EditableFeature = Feature<Geometry, FeatureProperties> & { id: number };

const itemsOf = (layerId: string) => `/ogc/collections/${encodeURIComponent(layerId)}/items`;
const historyOf = (layerId: string, featureId: number) => `/api/features/${encodeURIComponent(layerId)}/${featureId}`;

export function fetchFeature(layerId: string, featureId: number, signal?: AbortSignal): Promise<Answer<EditableFeature>> {
  return request(`${itemsOf(layerId)}/${featureId}`, { signal });
}

export function createFeature(layerId: string, geometry: Geometry, properties: FeatureProperties): Promise<Answer<EditableFeature>> {
  return request(itemsOf(layerId), { method: 'POST', body: { type: 'Feature', geometry, properties } });
}

/** A merge-patch: only the geometry and properties given change. */
export function patchFeature(
  layerId: string,
  featureId: number,
  etag: string,
  change: { geometry?: Geometry; properties?: FeatureProperties },
): Promise<Answer<EditableFeature>> {
  return request(`${itemsOf(layerId)}/${featureId}`, { method: 'PATCH', ifMatch: etag, body: { type: 'Feature', ...change } });
}

export function deleteFeature(layerId: string, featureId: number, etag: string): Promise<Answer<void>> {
  return request(`${itemsOf(layerId)}/${featureId}`, { method: 'DELETE', ifMatch: etag });
}

export type HistoryEntry = AuditEntry;

export async function fetchHistory(layerId: string, featureId: number, signal?: AbortSignal): Promise<HistoryEntry[]> {
  const { body } = await request<{ entries: HistoryEntry[] }>(`${historyOf(layerId, featureId)}/history`, { signal });
  return body.entries;
}

/** Writes an earlier version again as a new version; `etag` guards against a change made meanwhile. */
export function restoreVersion(layerId: string, featureId: number, version: number, etag: string): Promise<Answer<EditableFeature>> {
  return request(`${historyOf(layerId, featureId)}/restore/${version}`, { method: 'POST', ifMatch: etag });
}

export type ChangeLogEntry = Omit<AuditEntry, 'before' | 'after'>;

export interface ChangeLogFilter {
  user?: string;
  layer?: string;
  /** ISO dates (YYYY-MM-DD) or date-times. */
  from?: string;
  to?: string;
  limit?: number;
}

export async function fetchRecentChanges(filter: ChangeLogFilter, signal?: AbortSignal): Promise<ChangeLogEntry[]> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  const { body } = await request<{ entries: ChangeLogEntry[] }>(`/api/audit?${query.toString()}`, { signal });
  return body.entries;
}
