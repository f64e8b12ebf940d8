import type { MapLibreOverlay } from '@deck.gl/maplibre';
import type { LngLat, Map as MapLibreMap, PointLike } from 'maplibre-gl';
import type { PublishedLayer } from '../api/client.ts';
import { layerIdOfPaintLayer } from '../layers/layer-style.ts';
import { paintLayerIdsOf } from './layer-runtime.ts';

export interface SelectedFeature {
  layerId: string;
  /** The feature's id in its table (the MVT feature id), when the tile carries one. */
  featureId: number | undefined;
  properties: Record<string, unknown>;
  lngLat: { lng: number; lat: number };
}

function numericId(id: unknown): number | undefined {
  const value = Number(id);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Pixels of slack around a click, so a 2 px lamp or a 1 px alley can be hit with a mouse. */
const clickTolerance = 5;

/**
 * The feature under a click: deck.gl points first (they are drawn on top), then the topmost
 * MapLibre feature. Hidden layers are never hit: both libraries skip invisible layers.
 */
export function featureAtPoint(
  map: MapLibreMap,
  overlay: MapLibreOverlay,
  layers: readonly PublishedLayer[],
  point: { x: number; y: number },
  lngLat: LngLat,
): SelectedFeature | undefined {
  const picked = overlay.pickObject({ x: point.x, y: point.y, radius: clickTolerance });
  const pickedObject = picked?.object as { id?: unknown; properties?: Record<string, unknown> } | undefined;
  if (picked?.layer && pickedObject?.properties) {
    // A cluster's id is only its lowest member's: it names no single feature to edit.
    const clustered = Number(pickedObject.properties.point_count) > 1;
    return { layerId: picked.layer.id, featureId: clustered ? undefined : numericId(pickedObject.id), properties: pickedObject.properties, lngLat: lngLat.wrap() };
  }

  const paintIds = [...paintLayerIdsOf(layers).values()].flat().filter((id) => map.getLayer(id));
  const box: [PointLike, PointLike] = [
    [point.x - clickTolerance, point.y - clickTolerance],
    [point.x + clickTolerance, point.y + clickTolerance],
  ];
  const [topmost] = map.queryRenderedFeatures(box, { layers: paintIds });
  if (!topmost) return undefined;
  return { layerId: layerIdOfPaintLayer(topmost.layer.id), featureId: numericId(topmost.id), properties: { ...topmost.properties }, lngLat: lngLat.wrap() };
}
