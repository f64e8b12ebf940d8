import type { MapLibreOverlay } from '@deck.gl/maplibre';
import type { Map as MapLibreMap } from 'maplibre-gl';

declare global {
  interface Window {
    /** For the browser test (client/e2e): the MapLibre map, to query rendered features. */
    __cityMap?: MapLibreMap;
    /** For the browser test: the deck.gl overlay, to pick the points it draws. */
    __cityDeck?: MapLibreOverlay;
  }
}

export function exposeForTests(map: MapLibreMap, overlay: MapLibreOverlay): () => void {
  window.__cityMap = map;
  window.__cityDeck = overlay;
  return () => {
    delete window.__cityMap;
    delete window.__cityDeck;
  };
}

/** The browser test waits for `data-map-ready="true"` on <body> before it queries the map. */
export function markMapReady(): void {
  document.body.dataset.mapReady = 'true';
}
