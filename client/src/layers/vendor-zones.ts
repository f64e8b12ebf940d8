import { colorByLegendField, paintLayerId, type MapLibreLayerStyle } from './layer-style.ts';

export const vendorZonesStyle: MapLibreLayerStyle = {
  renderer: 'maplibre',
  band: 'overlay',
  legendShape: 'fill',
  legendColors: {
    tidal_stall: '#7048e8',
    convenience_food: '#f08c00',
    farmer_stall: '#37b24d',
    outdoor_display: '#1c7ed6',
    market_street: '#d6336c',
  },
  fallbackColor: '#7048e8',
  paintLayers(layer) {
    const color = colorByLegendField(layer, vendorZonesStyle);
    return [
      { id: paintLayerId(layer.id, 'fill'), type: 'fill', paint: { 'fill-color': color, 'fill-opacity': 0.45 } },
      {
        id: paintLayerId(layer.id, 'outline'),
        type: 'line',
        paint: { 'line-color': color, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.6, 16, 1.6] },
      },
    ];
  },
};
