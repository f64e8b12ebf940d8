import type { DeckPointStyle } from './layer-style.ts';

/** Working lamps glow yellow; an unlit lamp is dark, the way it looks on the street at night. */
export const streetlightsStyle: DeckPointStyle = {
  renderer: 'deck-points',
  legendShape: 'circle',
  legendColors: {
    working: '#fcc419',
    out: '#343a40',
    repairing: '#e8590c',
  },
  fallbackColor: '#fcc419',
  // Working is the normal state of almost every lamp; the lighting team looks for the others.
  mutedValues: ['working'],
  radiusPixels: () => 2.5,
  outlineColor: '#7a6a2a',
  outlineWidthPixels: 0.75,
};
