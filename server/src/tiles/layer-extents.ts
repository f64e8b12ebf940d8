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
  forgetAll(): void;
}

const rememberForMs = 60_000;

async function scanExtent(pool: Pick<pg.Pool, 'query'>, layer: LayerDefinition): Promise<LayerExtent> {
  // The time's range rides on the same scan: it costs next to nothing beside ST_Extent.
  const time = layer.timeField ? `t.${identifier(layer.timeField)}` : 'NULL::timestamptz';
  const { rows } = await pool.query<{ west: number | null; south: number; east: number; north: number; features: number; earliest: Date | null; latest: Date | null }>(
    `SELECT ST_XMin(e) AS west, ST_YMin(e) AS south, ST_XMax(e) AS east, ST_YMax(e) AS north, features, earliest, latest
     FROM (SELECT ST_Extent(t.geom) AS e, count(*)::int AS features, min(${time}) AS earliest, max(${time}) AS latest
           FROM ${identifier(layer.table)} t WHERE t.deleted_at IS NULL) extent`,
  );
  const row = rows[0];
  return {
    bounds: row && row.west !== null ? [row.west, row.south, row.east, row.north] : cityBounds,
    featureCount: row?.features ?? 0,
    ...(row?.earliest && row.latest ? { interval: [row.earliest, row.latest] as [Date, Date] } : {}),
  };
}

export function layerExtents(pool: Pick<pg.Pool, 'query'>): LayerExtents {
  // The scan itself is remembered, so requests arriving together share one; a forget drops it,
  // and a scan that began before the change is then no longer what later requests get.
  const remembered = new Map<string, { scan: Promise<LayerExtent>; at: number }>();

  function extentOf(layer: LayerDefinition): Promise<LayerExtent> {
    const hit = remembered.get(layer.id);
    if (hit && Date.now() - hit.at < rememberForMs) return hit.scan;
    const entry = { scan: scanExtent(pool, layer), at: Date.now() };
    remembered.set(layer.id, entry);
    entry.scan.catch(() => {
      if (remembered.get(layer.id) === entry) remembered.delete(layer.id);
    });
    return entry.scan;
  }

  return {
    extentOf,
    async boundsOf(layer) {
      return (await extentOf(layer)).bounds;
    },
    forget(layerId) {
      remembered.delete(layerId);
    },
    forgetAll() {
      remembered.clear();
    },
  };
}
