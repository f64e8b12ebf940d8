import type { DeckPointStyle } from './layer-style.ts';

/** Cool colours while a case waits, warm while it is worked on, a faint grey once closed. */
export const casesStyle: DeckPointStyle = {
  renderer: 'deck-points',
  legendShape: 'circle',
  legendColors: {
    reported: '#845ef7',
    filed: '#5c7cfa',
    dispatched: '#1c7ed6',
    handling: '#f76707',
    verifying: '#ae3ec9',
    closed: '#868e96',
  },
  fallbackColor: '#845ef7',
  mutedValues: ['closed'],
  radiusPixels: () => 4,
  outlineColor: '#ffffff',
  outlineWidthPixels: 1,
};
