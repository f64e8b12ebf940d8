/**
 * The client style of every registry layer, by id. Adding a layer: a registry entry on the
 * server and one module here.
 */
import { alleysStyle } from './alleys.ts';
import { casesStyle } from './cases.ts';
import { districtsStyle } from './districts.ts';
import { gridCellsStyle } from './grid-cells.ts';
import type { LayerStyle } from './layer-style.ts';
import { restrictedAreasStyle } from './restricted-areas.ts';
import { roadsStyle } from './roads.ts';
import { streetlightsStyle } from './streetlights.ts';
import { trashHotspotsStyle } from './trash-hotspots.ts';
import { vendorZonesStyle } from './vendor-zones.ts';

const styles: Readonly<Record<string, LayerStyle>> = {
  districts: districtsStyle,
  grid_cells: gridCellsStyle,
  roads: roadsStyle,
  alleys: alleysStyle,
  streetlights: streetlightsStyle,
  trash_hotspots: trashHotspotsStyle,
  vendor_zones: vendorZonesStyle,
  restricted_areas: restrictedAreasStyle,
  cases: casesStyle,
};

/** A layer the server knows but the client has no module for is skipped rather than drawn wrong. */
export function styleFor(layerId: string): LayerStyle | undefined {
  return styles[layerId];
}
