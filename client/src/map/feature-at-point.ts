import type { MapLibreOverlay } from '@deck.gl/maplibre';
import type { LngLat, Map as MapLibreMap, PointLike } from 'maplibre-gl';
import type { PublishedLayer } from '../api/client.ts';
import { layerIdOfPaintLayer } from '../layers/layer-style.ts';
import { paintLayerIdsOf } from './layer-runtime.ts';

export interface SelectedFeature {
  layerId: string;
  properties: Record<string, unknown>;
  lngLat: { lng: number; lat: number };
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
  const pickedProperties = (picked?.object as { properties?: Record<string, unknown> } | undefined)?.properties;
  if (picked?.layer && pickedProperties) {
    return { layerId: picked.layer.id, properties: pickedProperties, lngLat: lngLat.wrap() };
  }

  const paintIds = [...paintLayerIdsOf(layers).values()].flat().filter((id) => map.getLayer(id));
  const box: [PointLike, PointLike] = [
    [point.x - clickTolerance, point.y - clickTolerance],
    [point.x + clickTolerance, point.y + clickTolerance],
  ];
  const [topmost] = map.queryRenderedFeatures(box, { layers: paintIds });
  if (!topmost) return undefined;
  return { layerId: layerIdOfPaintLayer(topmost.layer.id), properties: { ...topmost.properties }, lngLat: lngLat.wrap() };
}
