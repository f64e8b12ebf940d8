import type { PublishedLayer } from '../api/client.ts';
import { localized } from '../i18n/language.tsx';
import type { Language } from '../i18n/messages.ts';
import type { HexColor, LayerStyle, LegendShape } from './layer-style.ts';

export interface LegendEntry {
  key: string;
  label: string;
  color: HexColor;
  shape: LegendShape;
  muted: boolean;
}

/**
 * One entry per value of the layer's legend field, titled from the registry; a layer without one
 * gets a single swatch titled with the layer itself.
 */
export function legendEntries(layer: PublishedLayer, style: LayerStyle, language: Language): LegendEntry[] {
  const field = layer.fields.find((candidate) => candidate.name === layer.legendField);
  if (!field?.values?.length) {
    return [
      { key: layer.id, label: localized(layer.title, language), color: style.fallbackColor, shape: style.legendShape, muted: false },
    ];
  }
  return field.values.map((value) => ({
    key: value.value,
    label: localized(value.title, language),
    color: style.legendColors[value.value] ?? style.fallbackColor,
    shape: style.legendShape,
    muted: style.mutedValues?.includes(value.value) ?? false,
  }));
}
