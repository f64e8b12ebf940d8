import { colorByLegendField, paintLayerId, type MapLibreLayerStyle } from './layer-style.ts';

/** From grey (only surveyed) through blue and orange to greens: the renovation pipeline reads left to right. */
export const alleysStyle: MapLibreLayerStyle = {
  renderer: 'maplibre',
  band: 'network',
  legendShape: 'line',
  legendColors: {
    surveyed: '#868e96',
    planned: '#3b7dd8',
    in_progress: '#e8590c',
    completed: '#2f9e44',
    reinspected: '#0c8599',
  },
  fallbackColor: '#868e96',
  paintLayers(layer) {
    return [
      {
        id: paintLayerId(layer.id, 'line'),
        type: 'line',
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': colorByLegendField(layer, alleysStyle),
          'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 11, 0.6, 14, 1.8, 16, 3.5, 19, 8],
        },
      },
    ];
  },
};
