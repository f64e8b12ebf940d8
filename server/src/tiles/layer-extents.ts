import type pg from 'pg';
import type { LayerDefinition } from '../registry/layers.ts';
import { identifier } from './tile-sql.ts';

export type Bounds = [west: number, south: number, east: number, north: number];

/** The whole demo city, for layers that hold no rows yet. */
const cityBounds: Bounds = [116.9, 36.6, 117.1, 36.72];

/** Layer extents for TileJSON and OGC collections, remembered briefly: a full scan on every
 *  metadata request would cost seconds on large layers. */
export interface LayerExtents {
  boundsOf(layer: LayerDefinition): Promise<Bounds>;
  forget(layerId: string): void;
}

const rememberForMs = 60_000;

export function layerExtents(pool: Pick<pg.Pool, 'query'>): LayerExtents {
  const remembered = new Map<string, { bounds: Bounds; at: number }>();
  return {
    async boundsOf(layer) {
      const hit = remembered.get(layer.id);
      if (hit && Date.now() - hit.at < rememberForMs) return hit.bounds;
      const { rows } = await pool.query<{ west: number | null; south: number; east: number; north: number }>(
        `SELECT ST_XMin(e) AS west, ST_YMin(e) AS south, ST_XMax(e) AS east, ST_YMax(e) AS north
         FROM (SELECT ST_Extent(geom) AS e FROM ${identifier(layer.table)} WHERE deleted_at IS NULL) extent`,
      );
      const row = rows[0];
      const bounds: Bounds = row && row.west !== null ? [row.west, row.south, row.east, row.north] : cityBounds;
      remembered.set(layer.id, { bounds, at: Date.now() });
      return bounds;
    },
    forget(layerId) {
      remembered.delete(layerId);
    },
  };
}
