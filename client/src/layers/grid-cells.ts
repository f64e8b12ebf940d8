import { paintLayerId, type MapLibreLayerStyle } from './layer-style.ts';

export const gridCellsStyle: MapLibreLayerStyle = {
  renderer: 'maplibre',
  band: 'base',
  legendShape: 'line',
  legendColors: {},
  fallbackColor: '#8c96a3',
  paintLayers: (layer) => [
    // An invisible fill: a click inside a cell finds it (and its responsible unit) for dispatch.
    { id: paintLayerId(layer.id, 'hit'), type: 'fill', paint: { 'fill-color': '#000000', 'fill-opacity': 0 } },
    {
      id: paintLayerId(layer.id, 'outline'),
      type: 'line',
      paint: {
        'line-color': '#8c96a3',
        'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.3, 16, 0.8],
        'line-opacity': 0.5,
      },
    },
  ],
};
