import { z } from 'zod';
import { badRequest, type InvalidParam } from '../http/problem.ts';
import type { FieldDefinition, LayerDefinition } from '../registry/layers.ts';
import { fieldExpression, identifier } from '../tiles/tile-sql.ts';

export const defaultItemLimit = 100;
export const maxItemLimit = 10_000;

export interface ItemsQuery {
  bbox?: [number, number, number, number];
  limit: number;
  offset: number;
  datetime?: { start?: Date; end?: Date };
  filters: { field: FieldDefinition; value: string | number | boolean }[];
}

const finiteNumber = z.coerce.number().refine(Number.isFinite, 'must be a finite number');

function parseBbox(raw: string, problems: InvalidParam[]): ItemsQuery['bbox'] {
  const parts = raw.split(',');
  if (parts.length !== 4) {
    problems.push({ name: 'bbox', reason: 'bbox must be four numbers: minLon,minLat,maxLon,maxLat' });
    return undefined;
  }
  const numbers = parts.map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
  if (numbers.some((n) => !Number.isFinite(n))) {
    problems.push({ name: 'bbox', reason: `bbox values must be numbers, got ${JSON.stringify(raw)}` });
    return undefined;
  }
  const [minLon, minLat, maxLon, maxLat] = numbers as [number, number, number, number];
  if (Math.abs(minLon) > 180 || Math.abs(maxLon) > 180) problems.push({ name: 'bbox', reason: 'longitudes must be within ±180' });
  if (Math.abs(minLat) > 90 || Math.abs(maxLat) > 90) problems.push({ name: 'bbox', reason: 'latitudes must be within ±90' });
  if (minLon > maxLon || minLat > maxLat) problems.push({ name: 'bbox', reason: 'bbox minimum must not exceed its maximum' });
  return [minLon, minLat, maxLon, maxLat];
}

function parseInstant(raw: string): Date | undefined | 'open' {
  if (raw === '..' || raw === '') return 'open';
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)) return undefined;
  const date = new Date(raw);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function parseDatetime(raw: string, problems: InvalidParam[]): ItemsQuery['datetime'] {
  const pieces = raw.split('/');
  if (pieces.length > 2) {
    problems.push({ name: 'datetime', reason: 'datetime must be an instant or an interval start/end' });
    return undefined;
  }
  const instants = pieces.map(parseInstant);
  if (instants.some((instant) => instant === undefined)) {
    problems.push({ name: 'datetime', reason: `datetime must be RFC 3339 (e.g. 2026-06-30T00:00:00Z or start/end), got ${JSON.stringify(raw)}` });
    return undefined;
  }
  const [first, second] = instants as (Date | 'open')[];
  if (pieces.length === 1) {
    if (first === 'open') return {};
    return { start: first as Date, end: first as Date };
  }
  const start = first === 'open' ? undefined : (first as Date);
  const end = second === 'open' ? undefined : (second as Date);
  if (start && end && start > end) problems.push({ name: 'datetime', reason: 'datetime interval starts after it ends' });
  return { start, end };
}

function parseFilterValue(field: FieldDefinition, raw: string, problems: InvalidParam[]) {
  if (field.values && !field.values.some((allowed) => allowed.value === raw)) {
    problems.push({ name: field.name, reason: `${field.name} must be one of ${field.values.map((v) => v.value).join(', ')}` });
    return undefined;
  }
  if (field.type === 'number' || field.type === 'integer') {
    const parsed = finiteNumber.safeParse(raw);
    if (!parsed.success || raw.trim() === '') {
      problems.push({ name: field.name, reason: `${field.name} must be a number` });
      return undefined;
    }
    return parsed.data;
  }
  if (field.type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') {
      problems.push({ name: field.name, reason: `${field.name} must be true or false` });
      return undefined;
    }
    return raw === 'true';
  }
  return raw;
}

const filterableTypes = new Set(['string', 'number', 'integer', 'boolean']);
const reservedParameters = ['bbox', 'limit', 'offset', 'datetime', 'f', 'bbox-crs'];

/** The items request, checked: every fault is collected and answered in one 400. */
export function parseItemsQuery(layer: LayerDefinition, query: Record<string, unknown>): ItemsQuery {
  const problems: InvalidParam[] = [];
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      problems.push({ name, reason: `${name} must be given once` });
      return undefined;
    }
    return value;
  };

  const result: ItemsQuery = { limit: defaultItemLimit, offset: 0, filters: [] };
  const rawLimit = single('limit');
  if (rawLimit !== undefined) {
    if (!/^\d{1,9}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > maxItemLimit) {
      problems.push({ name: 'limit', reason: `limit must be a whole number from 1 to ${maxItemLimit}` });
    } else result.limit = Number(rawLimit);
  }
  const rawOffset = single('offset');
  if (rawOffset !== undefined) {
    if (!/^\d{1,9}$/.test(rawOffset)) problems.push({ name: 'offset', reason: 'offset must be a whole number, 0 or more' });
    else result.offset = Number(rawOffset);
  }
  const rawBbox = single('bbox');
  if (rawBbox !== undefined) result.bbox = parseBbox(rawBbox, problems);
  const rawCrs = single('bbox-crs');
  if (rawCrs !== undefined && rawCrs !== 'http://www.opengis.net/def/crs/OGC/1.3/CRS84') {
    problems.push({ name: 'bbox-crs', reason: 'only CRS84 bounding boxes are supported' });
  }
  const rawDatetime = single('datetime');
  if (rawDatetime !== undefined) {
    if (!layer.timeField) problems.push({ name: 'datetime', reason: `${layer.id} has no time to filter by` });
    else result.datetime = parseDatetime(rawDatetime, problems);
  }
  const format = single('f');
  if (format !== undefined && format !== 'json' && format !== 'geojson') {
    problems.push({ name: 'f', reason: 'f must be json' });
  }

  for (const name of Object.keys(query)) {
    if (reservedParameters.includes(name)) continue;
    const field = layer.fields.find((candidate) => candidate.name === name);
    if (!field || !filterableTypes.has(field.type)) {
      const filterable = layer.fields.filter((candidate) => filterableTypes.has(candidate.type)).map((candidate) => candidate.name);
      problems.push({ name, reason: `unknown parameter; ${layer.id} can be filtered by ${filterable.join(', ')}` });
      continue;
    }
    const raw = single(name);
    if (raw === undefined) continue;
    const value = parseFilterValue(field, raw, problems);
    if (value !== undefined) result.filters.push({ field, value });
  }

  if (problems.length > 0) throw badRequest('The query parameters are not valid.', problems);
  return result;
}

/** One parameterised statement returning a feature's GeoJSON text per row. */
export function itemsSql(layer: LayerDefinition, query: ItemsQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const parameter = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const conditions = ['t.deleted_at IS NULL'];
  if (query.bbox) {
    const envelope = `ST_MakeEnvelope(${query.bbox.map(parameter).join(', ')}, 4326)`;
    conditions.push(`t.geom && ${envelope}`, `ST_Intersects(t.geom, ${envelope})`);
  }
  if (query.datetime && layer.timeField) {
    const column = `t.${identifier(layer.timeField)}`;
    if (query.datetime.start) conditions.push(`${column} >= ${parameter(query.datetime.start.toISOString())}::timestamptz`);
    if (query.datetime.end) conditions.push(`${column} <= ${parameter(query.datetime.end.toISOString())}::timestamptz`);
  }
  for (const { field, value } of query.filters) {
    const cast = field.type === 'number' ? '::float8' : field.type === 'integer' ? '::int8' : field.type === 'boolean' ? '::boolean' : '::text';
    conditions.push(`t.${identifier(field.name)} = ${parameter(value)}${cast}`);
  }
  const text = `
    SELECT json_build_object(
      'type', 'Feature',
      'id', t.id,
      'geometry', ST_AsGeoJSON(t.geom, 7)::json,
      'properties', to_json(props)
    )::text AS feature
    FROM ${identifier(layer.table)} t
    CROSS JOIN LATERAL (SELECT ${layer.fields.map((field) => fieldExpression(field)).join(', ')}) props
    WHERE ${conditions.join(' AND ')}
    ORDER BY t.id
    LIMIT ${parameter(query.limit)} OFFSET ${parameter(query.offset)}`;
  return { text, values };
}

export function itemSql(layer: LayerDefinition): string {
  return `
    SELECT json_build_object(
      'type', 'Feature',
      'id', t.id,
      'geometry', ST_AsGeoJSON(t.geom, 7)::json,
      'properties', to_json(props)
    )::text AS feature, t.version
    FROM ${identifier(layer.table)} t
    CROSS JOIN LATERAL (SELECT ${layer.fields.map((field) => fieldExpression(field)).join(', ')}) props
    WHERE t.id = $1 AND t.deleted_at IS NULL`;
}
