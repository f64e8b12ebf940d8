/**
 * The terra-draw instance on the MapLibre map: one drawing mode per geometry type the registry
 * has, and a select mode whose vertices can be dragged, so a drawn or loaded shape can be
 * reshaped before it is saved. Snapping is to coordinates of shapes in terra-draw's own store
 * (the feature being edited), which is what terra-draw supports; tile features are not in it.
 */
import type { Geometry } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawPointMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  type GeoJSONStoreFeatures,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { GeometryType } from '../api/client.ts';

declare global {
  interface Window {
    /** For the browser test: the terra-draw instance, to read what is being drawn. */
    __cityDraw?: TerraDraw;
  }
}

export type DrawMode = 'point' | 'linestring' | 'polygon';

/** terra-draw draws single geometries; a MultiPolygon layer takes a single Polygon too. */
export function drawModeFor(geometryType: GeometryType): DrawMode {
  return { Point: 'point', LineString: 'linestring', Polygon: 'polygon', MultiPolygon: 'polygon' }[geometryType] as DrawMode;
}

/** The bureau's edit colour: distinct from every legend colour, so the edited shape stands out. */
const editColor = '#e03131';

const editableCoordinates = {
  draggable: true,
  midpoints: true,
  deletable: true,
  snappable: { toCoordinate: true },
} as const;

export function createDraw(map: MapLibreMap): TerraDraw {
  const draw = new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map }),
    modes: [
      new TerraDrawPointMode({ styles: { pointColor: editColor, pointWidth: 7, pointOutlineColor: '#ffffff', pointOutlineWidth: 2 } }),
      new TerraDrawLineStringMode({ snapping: { toCoordinate: true }, styles: { lineStringColor: editColor, lineStringWidth: 3 } }),
      new TerraDrawPolygonMode({
        snapping: { toCoordinate: true },
        styles: { fillColor: editColor, fillOpacity: 0.2, outlineColor: editColor, outlineWidth: 2 },
      }),
      new TerraDrawSelectMode({
        // The shape being edited stays selected: a click beside it must not drop the vertex handles.
        allowManualDeselection: false,
        flags: {
          point: { feature: { draggable: true } },
          linestring: { feature: { draggable: false, coordinates: editableCoordinates } },
          polygon: { feature: { draggable: false, coordinates: editableCoordinates } },
        },
        styles: {
          selectedPolygonColor: editColor,
          selectedPolygonFillOpacity: 0.25,
          selectedPolygonOutlineColor: editColor,
          selectedPolygonOutlineWidth: 2,
          selectedLineStringColor: editColor,
          selectedLineStringWidth: 3,
          selectedPointColor: editColor,
          selectionPointColor: '#ffffff',
          selectionPointOutlineColor: editColor,
          selectionPointWidth: 6,
          selectionPointOutlineWidth: 2,
          midPointColor: editColor,
          midPointWidth: 4,
        },
      }),
    ],
  });
  draw.start();
  window.__cityDraw = draw;
  return draw;
}

export function removeDraw(draw: TerraDraw): void {
  if (window.__cityDraw === draw) delete window.__cityDraw;
  draw.stop();
}

/** The plain GeoJSON geometry of a terra-draw feature, without the store's bookkeeping. */
export function geometryOf(feature: GeoJSONStoreFeatures | undefined): Geometry | undefined {
  if (!feature) return undefined;
  return JSON.parse(JSON.stringify(feature.geometry)) as Geometry;
}

/** Puts a stored shape into terra-draw and selects it, so its vertices show and can be dragged. */
export function loadForEditing(draw: TerraDraw, geometry: Geometry, mode: DrawMode): string | number | undefined {
  draw.clear();
  draw.setMode('select');
  const shape = geometry.type === 'MultiPolygon' && geometry.coordinates.length === 1 ? { type: 'Polygon' as const, coordinates: geometry.coordinates[0]! } : geometry;
  const id = draw.getFeatureId();
  const [result] = draw.addFeatures([{ id, type: 'Feature', geometry: shape as GeoJSONStoreFeatures['geometry'], properties: { mode } }]);
  if (!result?.valid) {
    console.warn('terra-draw refused the shape', result?.reason);
    return undefined;
  }
  draw.selectFeature(id);
  return id;
}
