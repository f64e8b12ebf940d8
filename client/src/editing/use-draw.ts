import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useState } from 'react';
import type { TerraDraw } from 'terra-draw';
import { createDraw, removeDraw } from './draw-tools.ts';

/**
 * One terra-draw instance per map. It is started only once the map's own layers are in
 * (`layersInstalled`): terra-draw adds its layers on top of the style as it stands, and layers
 * added after them (the district fills) would cover the shape being drawn.
 */
export function useDraw(map: MapLibreMap | undefined, layersInstalled: boolean): TerraDraw | undefined {
  const [draw, setDraw] = useState<TerraDraw>();
  useEffect(() => {
    if (!map || !layersInstalled) return;
    const instance = createDraw(map);
    setDraw(instance);
    return () => {
      setDraw(undefined);
      removeDraw(instance);
    };
  }, [map, layersInstalled]);
  return draw;
}
