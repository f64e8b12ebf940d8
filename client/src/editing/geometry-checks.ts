/**
 * Live checks of the shape being drawn: a self-intersecting line or polygon is refused by the
 * server (ST_IsValid), so it is caught while drawing; area and length help the officer see that
 * the zone they drew is the size they meant.
 */
import area from '@turf/area';
import kinks from '@turf/kinks';
import length from '@turf/length';
import type { Geometry } from 'geojson';

export interface GeometryMeasures {
  /** Square metres, for polygons. */
  areaSquareMetres?: number;
  /** Metres, for lines. */
  lengthMetres?: number;
  selfIntersects: boolean;
}

export function measureGeometry(geometry: Geometry): GeometryMeasures {
  switch (geometry.type) {
    case 'Polygon':
    case 'MultiPolygon':
      return { areaSquareMetres: area(geometry), selfIntersects: kinks(geometry).features.length > 0 };
    case 'LineString':
    case 'MultiLineString':
      return {
        lengthMetres: length({ type: 'Feature', geometry, properties: {} }, { units: 'kilometers' }) * 1000,
        selfIntersects: kinks(geometry).features.length > 0,
      };
    default:
      return { selfIntersects: false };
  }
}

/** Whole metres with grouping: "12,345". Finer figures would pretend a precision a click lacks. */
export function formatMetres(value: number, language: string): string {
  return Math.round(value).toLocaleString(language);
}
