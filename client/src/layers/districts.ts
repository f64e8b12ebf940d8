import type { ExpressionSpecification } from 'maplibre-gl';
import { paintLayerId, type MapLibreLayerStyle } from './layer-style.ts';

/** Soft tints so the districts read as a basemap under the operational layers. */
const districtTints: Record<string, string> = {
  lixia: '#f4efe4',
  shizhong: '#e9f1e6',
  huaiyin: '#e5eef5',
  tianqiao: '#f3e9ee',
  licheng: '#ece9f4',
};

const tintByCode = [
  'match',
  ['get', 'code'],
  ...Object.entries(districtTints).flat(),
  '#eeeeee',
] as unknown as ExpressionSpecification; // a spread of value/colour pairs is beyond the spec's tuple types

export const districtsStyle: MapLibreLayerStyle = {
  renderer: 'maplibre',
  band: 'base',
  legendShape: 'fill',
  legendColors: {},
  fallbackColor: '#d9d4e6',
  paintLayers: (layer) => [
    { id: paintLayerId(layer.id, 'fill'), type: 'fill', paint: { 'fill-color': tintByCode } },
    {
      id: paintLayerId(layer.id, 'outline'),
      type: 'line',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#7a6f93', 'line-width': 1.6, 'line-dasharray': [4, 2], 'line-opacity': 0.8 },
    },
  ],
};
