import type { ExpressionSpecification } from 'maplibre-gl';
import { colorByLegendField, paintLayerId, type MapLibreLayerStyle } from './layer-style.ts';

/** Line width in pixels by road class at a zoom; arterials stay readable at city scale. */
function widthByClass(arterial: number, secondary: number, branch: number): ExpressionSpecification {
  return ['match', ['get', 'road_class'], 'arterial', arterial, 'secondary', secondary, branch];
}

const roadWidth: ExpressionSpecification = [
  'interpolate',
  ['exponential', 1.5],
  ['zoom'],
  10, widthByClass(1.4, 0.7, 0.4),
  13, widthByClass(3.5, 2.2, 1.2),
  16, widthByClass(11, 7, 4),
  19, widthByClass(30, 20, 12),
];

const casingWidth: ExpressionSpecification = [
  'interpolate',
  ['exponential', 1.5],
  ['zoom'],
  10, widthByClass(2.4, 1.4, 0.8),
  13, widthByClass(5.5, 3.6, 2.2),
  16, widthByClass(14, 9.5, 6),
  19, widthByClass(36, 25, 16),
];

/** Lit roads are plain grey basemap; the lighting team's two problems stand out in warning colours. */
export const roadsStyle: MapLibreLayerStyle = {
  renderer: 'maplibre',
  band: 'network',
  legendShape: 'line',
  legendColors: {
    lit: '#a3abb5',
    no_lamps: '#d9480f',
    lamps_out: '#f59f00',
  },
  fallbackColor: '#a3abb5',
  paintLayers(layer) {
    return [
      {
        id: paintLayerId(layer.id, 'casing'),
        type: 'line',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#ffffff', 'line-width': casingWidth },
      },
      {
        id: paintLayerId(layer.id, 'line'),
        type: 'line',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': colorByLegendField(layer, roadsStyle), 'line-width': roadWidth },
      },
    ];
  },
};
