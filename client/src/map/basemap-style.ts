import type { StyleSpecification } from 'maplibre-gl';

export const cityCentre: [number, number] = [117.0, 36.66];
export const initialZoom = 13;

/** The colour between districts: land outside the city. */
export const landColor = '#eef0f2';

/**
 * The style the map starts with: a plain background and nothing else. The console must run
 * offline, so there is no glyph, sprite or tile server here; the layer runtime adds our own
 * tile sources (districts and roads form the basemap) and deck.gl draws the labels.
 */
export function offlineBaseStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'city-ops offline base',
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': landColor } }],
  };
}
