/**
 * The deterministic demo city: `generateCity({ seed, scale })` gives, per layer table, a
 * function returning a fresh iterable of plain rows. Rows are produced lazily, so `--scale 100`
 * (about 3 million lamps) streams through the loader in batches instead of sitting in memory;
 * only the street skeleton (lines and road descriptors, no geometry) is built up front.
 *
 * Every layer draws from its own seeded stream, so layers can be read in any order, any number
 * of times, and the same seed always yields the same rows.
 */
import { alleyCount, alleyRows } from './alleys.ts';
import { caseCount, caseRows } from './cases.ts';
import { districtRows, gridCellRows } from './city-plan.ts';
import { cityCentre } from './projection.ts';
import { restrictedAreaRows } from './restricted-areas.ts';
import type { LayerRows, LayerTable } from './rows.ts';
import { buildStreetGrid, roadRows, type StreetGrid } from './street-grid.ts';
import { lampCount, streetlightRows } from './streetlights.ts';
import { hotspotCount, trashHotspotRows } from './trash-hotspots.ts';
import { vendorZoneCount, vendorZoneRows } from './vendor-zones.ts';

export const defaultSeed = 20260630;

export interface CityOptions {
  seed?: number;
  scale?: number;
}

export type LayerSources = { [Table in LayerTable]: () => Iterable<LayerRows[Table]> };

export interface DemoCity {
  seed: number;
  scale: number;
  centre: { lon: number; lat: number };
  /** Extent in metres (east-west, north-south). */
  size: { width: number; height: number };
  layers: LayerSources;
  /** Rows each layer will yield, without building them (used for progress bars). */
  rowCounts(): Record<LayerTable, number>;
}

export function generateCity({ seed = defaultSeed, scale = 1 }: CityOptions = {}): DemoCity {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const grid: StreetGrid = buildStreetGrid(seed, scale);
  const { plan } = grid;
  return {
    seed,
    scale,
    centre: { ...cityCentre },
    size: { width: plan.width, height: plan.height },
    layers: {
      districts: () => districtRows(plan),
      grid_cells: () => gridCellRows(plan),
      roads: () => roadRows(grid),
      alleys: () => alleyRows(grid),
      streetlights: () => streetlightRows(grid),
      trash_hotspots: () => trashHotspotRows(grid),
      vendor_zones: () => vendorZoneRows(grid),
      restricted_areas: () => restrictedAreaRows(grid),
      cases: () => caseRows(grid),
    },
    rowCounts() {
      let restrictedAreas = 0;
      for (const _ of restrictedAreaRows(grid)) restrictedAreas++;
      return {
        districts: 5,
        grid_cells: plan.columns * plan.rows,
        roads: grid.roads.length,
        alleys: alleyCount(scale),
        streetlights: lampCount(grid),
        trash_hotspots: hotspotCount(scale),
        vendor_zones: vendorZoneCount(scale),
        restricted_areas: restrictedAreas,
        cases: caseCount(scale),
      };
    },
  };
}
