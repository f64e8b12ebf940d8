import type { FieldDefinition, PublishedLayer } from '../api/client.ts';
import { localized } from '../i18n/language.tsx';
import type { Language, Messages } from '../i18n/messages.ts';

export interface PopupRow {
  name: string;
  label: string;
  value: string;
}

function formatValue(field: FieldDefinition, raw: unknown, language: Language, t: Messages): string {
  const enumValue = field.values?.find((candidate) => candidate.value === raw);
  if (enumValue) return localized(enumValue.title, language);
  switch (field.type) {
    case 'datetime':
    case 'date': {
      const date = new Date(String(raw));
      if (Number.isNaN(date.getTime())) return String(raw);
      return field.type === 'date'
        ? date.toLocaleDateString(language, { dateStyle: 'medium' })
        : date.toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
    }
    case 'time':
      // "18:00:00" reads better as "18:00"; a bureau's hours never need seconds.
      return String(raw).replace(/^(\d{2}:\d{2}):00$/, '$1');
    case 'number':
      return typeof raw === 'number' ? raw.toLocaleString(language, { maximumFractionDigits: 1 }) : String(raw);
    case 'integer':
      // Integers here are codes and counts (road ids, watts): digit grouping would only add noise.
      return String(raw);
    case 'boolean':
      return raw === true || raw === 'true' ? t.yes : t.no;
    default:
      return String(raw);
  }
}

/** The feature's properties in registry order, with field and value titles in the current language. */
export function popupRows(
  layer: PublishedLayer,
  properties: Readonly<Record<string, unknown>>,
  language: Language,
  t: Messages,
): PopupRow[] {
  const rows = layer.fields.flatMap((field) => {
    const raw = properties[field.name];
    if (raw === undefined || raw === null || raw === '') return [];
    return [{ name: field.name, label: localized(field.title, language), value: formatValue(field, raw, language, t) }];
  });
  // A cluster (zoomed out) stands for several features: say how many, first.
  const count = Number(properties.point_count);
  if (Number.isFinite(count) && count > 1) rows.unshift({ name: 'point_count', label: t.clusterCount, value: String(count) });
  return rows;
}
