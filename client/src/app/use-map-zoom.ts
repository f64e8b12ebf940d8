import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useState } from 'react';
import { initialZoom } from '../map/basemap-style.ts';

export function useMapZoom(map: MapLibreMap | undefined): number {
  const [zoom, setZoom] = useState(initialZoom);
  useEffect(() => {
    if (!map) return;
    const update = () => setZoom(map.getZoom());
    update();
    map.on('zoomend', update);
    return () => {
      map.off('zoomend', update);
    };
  }, [map]);
  return zoom;
}
