import type pg from 'pg';
import type { LayerDefinition } from '../registry/layers.ts';
import { identifier } from './tile-sql.ts';

export type Bounds = [west: number, south: number, east: number, north: number];

/** What one scan of a layer's live rows tells: where they lie, how many, and when, for layers with a time. */
export interface LayerExtent {
  bounds: Bounds;
  featureCount: number;
  /** The earliest and latest of the layer's time field; absent for layers without one or without rows. */
  interval?: [start: Date, end: Date];
}

/** The whole demo city, for layers that hold no rows yet. */
const cityBounds: Bounds = [116.9, 36.6, 117.1, 36.72];

/** Layer extents for TileJSON and OGC collections, remembered briefly: a full scan on every
 *  metadata request would cost seconds on large layers. A change to the layer forgets it. */
export interface LayerExtents {
  extentOf(layer: LayerDefinition): Promise<LayerExtent>;
  boundsOf(layer: LayerDefinition): Promise<Bounds>;
  forget(layerId: string): void;
}

const rememberForMs = 60_000;

export function layerExtents(pool: Pick<pg.Pool, 'query'>): LayerExtents {
  const remembered = new Map<string, { extent: LayerExtent; at: number }>();
  // Bumped by every forget: a scan that began before a change must not be remembered after it.
  let forgets = 0;

  async function extentOf(layer: LayerDefinition): Promise<LayerExtent> {
    const hit = remembered.get(layer.id);
    if (hit && Date.now() - hit.at < rememberForMs) return hit.extent;
    const forgetsBefore = forgets;
    // The time's range rides on the same scan: it costs next to nothing beside ST_Extent.
    const time = layer.timeField ? `t.${identifier(layer.timeField)}` : 'NULL::timestamptz';
    const { rows } = await pool.query<{ west: number | null; south: number; east: number; north: number; features: number; earliest: Date | null; latest: Date | null }>(
      `SELECT ST_XMin(e) AS west, ST_YMin(e) AS south, ST_XMax(e) AS east, ST_YMax(e) AS north, features, earliest, latest
       FROM (SELECT ST_Extent(t.geom) AS e, count(*)::int AS features, min(${time}) AS earliest, max(${time}) AS latest
             FROM ${identifier(layer.table)} t WHERE t.deleted_at IS NULL) extent`,
    );
    const row = rows[0];
    const extent: LayerExtent = {
      bounds: row && row.west !== null ? [row.west, row.south, row.east, row.north] : cityBounds,
      featureCount: row?.features ?? 0,
      ...(row?.earliest && row.latest ? { interval: [new Date(row.earliest), new Date(row.latest)] as [Date, Date] } : {}),
    };
    if (forgets === forgetsBefore) remembered.set(layer.id, { extent, at: Date.now() });
    return extent;
  }

  return {
    extentOf,
    async boundsOf(layer) {
      return (await extentOf(layer)).bounds;
    },
    forget(layerId) {
      forgets++;
      remembered.delete(layerId);
    },
  };
}
