import type { DeckPointStyle } from './layer-style.ts';

/** Red while garbage lies there, green once cleared; the circle grows with the estimated volume. */
export const trashHotspotsStyle: DeckPointStyle = {
  renderer: 'deck-points',
  legendShape: 'circle',
  legendColors: {
    reported: '#c92a2a',
    assigned: '#e8590c',
    clearing: '#f59f00',
    cleared: '#2f9e44',
  },
  fallbackColor: '#c92a2a',
  mutedValues: ['cleared'],
  radiusPixels: (properties) => {
    const volume = Number(properties.volume_m3);
    return Math.min(13, 4 + Math.sqrt(Number.isFinite(volume) && volume > 0 ? volume : 0) / 2);
  },
  outlineColor: '#ffffff',
  outlineWidthPixels: 1,
};
