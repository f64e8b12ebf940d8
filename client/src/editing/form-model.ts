/**
 * The feature form's rules, apart from React so they can be tested: which registry fields a form
 * shows, how each input's text becomes a property value, and the message for a value the server
 * would refuse (enum, whole number, range, time and date formats: the rules of the server's
 * feature-input.ts, checked here as the user types so a save is not a round trip to find out).
 */
import type { FieldDefinition, PublishedLayer } from '../api/client.ts';
import type { FeatureProperties } from '../api/features.ts';
import type { Messages } from '../i18n/messages.ts';

/** What the user typed, by field name: inputs hold text, conversion happens once, here. */
export type FormValues = Record<string, string>;
export type FieldErrors = Record<string, string>;

/** Derived fields (a road's length) follow the geometry on the server; the form never edits them. */
export function formFields(layer: Pick<PublishedLayer, 'fields'>): FieldDefinition[] {
  return layer.fields.filter((field) => !field.derived);
}

/** Every field the registry does not mark optional needs a value, as its table column does. */
export function isRequired(field: FieldDefinition): boolean {
  return !field.optional;
}

/** A new feature's form starts from the values the table would fill in itself. */
export function defaultFormValues(layer: Pick<PublishedLayer, 'fields'>): FormValues {
  const values: FormValues = {};
  for (const field of formFields(layer)) values[field.name] = field.defaultValue ?? '';
  return values;
}

const timePattern = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** The message for one input, or undefined when the server would take it. */
export function fieldError(field: FieldDefinition, raw: string, t: Messages): string | undefined {
  const text = raw.trim();
  if (text === '') return isRequired(field) ? t.required : undefined;
  if (field.values) return field.values.some((allowed) => allowed.value === text) ? undefined : t.mustBeOneOf;
  switch (field.type) {
    case 'number':
    case 'integer': {
      const value = Number(text);
      if (!Number.isFinite(value)) return t.mustBeNumber;
      if (field.type === 'integer' && !Number.isInteger(value)) return t.mustBeWholeNumber;
      if (field.minimum !== undefined && value < field.minimum) return t.atLeast(field.minimum);
      if (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum) return t.moreThan(field.exclusiveMinimum);
      if (field.maximum !== undefined && value > field.maximum) return t.atMost(field.maximum);
      if (field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum) return t.lessThan(field.exclusiveMaximum);
      return undefined;
    }
    case 'time':
      return timePattern.test(text) ? undefined : t.mustBeTime;
    case 'date':
      return datePattern.test(text) && !Number.isNaN(Date.parse(text)) ? undefined : t.mustBeDate;
    case 'datetime':
      return Number.isNaN(Date.parse(text)) ? t.mustBeDateTime : undefined;
    case 'boolean':
      return text === 'true' || text === 'false' ? undefined : t.mustBeOneOf;
    case 'string':
      return text.length > 500 ? t.tooLong : undefined;
  }
}

export function formErrors(layer: Pick<PublishedLayer, 'fields'>, values: FormValues, t: Messages): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of formFields(layer)) {
    const message = fieldError(field, values[field.name] ?? '', t);
    if (message) errors[field.name] = message;
  }
  return errors;
}

function propertyValue(field: FieldDefinition, text: string): string | number | boolean {
  if (field.values) return text;
  switch (field.type) {
    case 'number':
    case 'integer':
      return Number(text);
    case 'boolean':
      return text === 'true';
    case 'datetime':
      // <input type="datetime-local"> gives local wall-clock time without a zone; the server
      // wants RFC 3339, so the browser's zone is applied here.
      return new Date(text).toISOString();
    default:
      return text;
  }
}

/**
 * The properties to send. A new feature leaves empty inputs out; an edit sends them as null,
 * because the user emptied a value that the feature had.
 */
export function propertiesFromForm(layer: Pick<PublishedLayer, 'fields'>, values: FormValues, mode: 'create' | 'edit'): FeatureProperties {
  const properties: FeatureProperties = {};
  for (const field of formFields(layer)) {
    const text = (values[field.name] ?? '').trim();
    if (text === '') {
      if (mode === 'edit') properties[field.name] = null;
    } else {
      properties[field.name] = propertyValue(field, text);
    }
  }
  return properties;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A stored value as the text its input shows: the inverse of `propertyValue`. */
export function formValuesFromProperties(layer: Pick<PublishedLayer, 'fields'>, properties: Readonly<Record<string, unknown>>): FormValues {
  const values: FormValues = {};
  for (const field of formFields(layer)) {
    const raw = properties[field.name];
    if (raw === undefined || raw === null) {
      values[field.name] = '';
    } else if (field.type === 'datetime' && !field.values) {
      const date = new Date(String(raw));
      values[field.name] = Number.isNaN(date.getTime())
        ? String(raw)
        : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
    } else if (field.type === 'time') {
      // The server answers "18:00"; an <input type="time"> wants exactly that.
      values[field.name] = String(raw).slice(0, 5);
    } else {
      values[field.name] = String(raw);
    }
  }
  return values;
}

/**
 * A server 422's invalid-params split by where they belong: `properties.width_m` goes next to the
 * width input, `geometry` (and anything else) next to the shape's measures.
 */
export function splitInvalidParams(params: readonly { name: string; reason: string }[]): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const { name, reason } of params) {
    const match = /^properties\.(.+)$/.exec(name);
    if (match?.[1]) fields[match[1]] = fields[match[1]] ? `${fields[match[1]]}; ${reason}` : reason;
    else other.push(name === 'geometry' ? reason : `${name}: ${reason}`);
  }
  return { fields, other };
}
