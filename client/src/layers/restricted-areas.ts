import { colorByLegendField, paintLayerId, type MapLibreLayerStyle } from './layer-style.ts';

/** All reds: any restricted area means "no stalls here"; the shade only tells the reason. */
export const restrictedAreasStyle: MapLibreLayerStyle = {
  renderer: 'maplibre',
  band: 'overlay',
  legendShape: 'fill',
  legendColors: {
    school_gate: '#e03131',
    fire_lane: '#c2255c',
    main_carriageway: '#f76707',
    hospital: '#a61e4d',
  },
  fallbackColor: '#e03131',
  paintLayers(layer) {
    const color = colorByLegendField(layer, restrictedAreasStyle);
    return [
      { id: paintLayerId(layer.id, 'fill'), type: 'fill', paint: { 'fill-color': color, 'fill-opacity': 0.18 } },
      {
        id: paintLayerId(layer.id, 'outline'),
        type: 'line',
        paint: { 'line-color': color, 'line-width': 1, 'line-dasharray': [3, 2], 'line-opacity': 0.9 },
      },
    ];
  },
};
