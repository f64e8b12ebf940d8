import { z } from 'zod';
import { readInstant } from '../http/instants.ts';
import { badRequest, type InvalidParam } from '../http/problem.ts';
import type { FieldDefinition, LayerDefinition } from '../registry/layers.ts';
import { identifier, propertyList, sqlTypeOf } from '../tiles/tile-sql.ts';

export const defaultItemLimit = 100;
export const maxItemLimit = 10_000;
const crs84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

const longitude = z.number().min(-180).max(180);
const latitude = z.number().min(-90).max(90);
/**
 * The items parameters: these schemas validate requests and, through z.toJSONSchema, describe
 * them in /api/openapi.json.
 */
export const itemsParameterSchemas = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxItemLimit)
    .default(defaultItemLimit)
    .describe(`Most features in one page (default ${defaultItemLimit})`),
  offset: z.coerce.number().int().min(0).default(0).describe('Features to skip; next and prev links carry it'),
  bbox: z
    .string()
    .transform((text) => text.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part))))
    .pipe(z.tuple([longitude, latitude, longitude, latitude]))
    .refine(([minLon, minLat, maxLon, maxLat]) => minLon <= maxLon && minLat <= maxLat, 'the minimum must not exceed the maximum')
    .describe('minLon,minLat,maxLon,maxLat in WGS 84 (CRS84)'),
  'bbox-crs': z.literal(crs84).describe('Only CRS84'),
  datetime: z
    .string()
    .transform((text, context) => {
      const pieces = text.split('/');
      if (pieces.length > 2) {
        context.addIssue({ code: 'custom', message: 'must be an instant or one interval start/end' });
        return z.NEVER;
      }
      const ends = pieces.map((piece) => {
        // An open end: .. anywhere, or nothing on one side of an interval.
        if (piece === '..' || (pieces.length === 2 && piece === '')) return undefined;
        const read = readInstant(piece);
        if ('reason' in read) context.addIssue({ code: 'custom', message: read.reason });
        return 'instant' in read ? read.instant : undefined;
      });
      const [start, end] = ends.length === 1 ? [ends[0], ends[0]] : ends;
      if (start && end && start > end) context.addIssue({ code: 'custom', message: 'the interval starts after it ends' });
      return { start, end };
    })
    .describe('An RFC 3339 instant, or an interval start/end with .. for an open end: features whose time is at this instant or within this interval (layers with a time only)'),
  f: z.enum(['json', 'geojson']).describe('Output format: GeoJSON'),
};

/** How each field can be filtered: ?status=out, ?district=lixia, ?power_w=100. */
export function filterSchemaFor(field: FieldDefinition): z.ZodType<string | number | boolean> | undefined {
  const values = field.values?.map((allowed) => allowed.value);
  if (values && values.length > 0) return z.enum(values as [string, ...string[]]).describe(field.title.en);
  switch (field.type) {
    case 'string':
      return z.string().max(200).describe(field.title.en);
    case 'number':
      return z.coerce.number().refine(Number.isFinite, 'must be a finite number').describe(field.title.en);
    case 'integer':
      return z.coerce.number().int().describe(field.title.en);
    case 'boolean':
      return z.enum(['true', 'false']).transform((text) => text === 'true').describe(field.title.en);
    default:
      return undefined;
  }
}

export interface ItemsQuery {
  bbox?: [number, number, number, number];
  limit: number;
  offset: number;
  datetime?: { start?: Date; end?: Date };
  filters: { field: FieldDefinition; value: string | number | boolean }[];
}

/** The items request, checked: every fault is collected and answered in one 400. */
export function parseItemsQuery(layer: LayerDefinition, query: Record<string, unknown>): ItemsQuery {
  const problems: InvalidParam[] = [];
  const read = <T>(name: string, schema: z.ZodType<T>): T | undefined => {
    const raw = query[name];
    if (typeof raw !== 'string' && raw !== undefined) {
      problems.push({ name, reason: `${name} must be given once` });
      return undefined;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push({ name, reason: `${name}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}` });
    return undefined;
  };
  const present = (name: string) => query[name] !== undefined;

  const result: ItemsQuery = {
    limit: read('limit', itemsParameterSchemas.limit) ?? defaultItemLimit,
    offset: read('offset', itemsParameterSchemas.offset) ?? 0,
    filters: [],
  };
  if (present('bbox')) result.bbox = read('bbox', itemsParameterSchemas.bbox);
  if (present('bbox-crs')) read('bbox-crs', itemsParameterSchemas['bbox-crs']);
  if (present('f')) read('f', itemsParameterSchemas.f);
  if (present('datetime')) {
    if (layer.timeField) result.datetime = read('datetime', itemsParameterSchemas.datetime);
    else problems.push({ name: 'datetime', reason: `${layer.id} has no time to filter by` });
  }

  for (const name of Object.keys(query)) {
    if (name in itemsParameterSchemas) continue;
    const field = layer.fields.find((candidate) => candidate.name === name);
    const schema = field && filterSchemaFor(field);
    if (!field || !schema) {
      const filterable = layer.fields.filter((candidate) => filterSchemaFor(candidate)).map((candidate) => candidate.name);
      problems.push({ name, reason: `unknown parameter; ${layer.id} can be filtered by ${filterable.join(', ')}` });
      continue;
    }
    const value = read(name, schema);
    if (value !== undefined) result.filters.push({ field, value });
  }

  if (problems.length > 0) throw badRequest('The query parameters are not valid.', problems);
  return result;
}

export const featureJson = `json_build_object(
      'type', 'Feature',
      'id', t.id,
      'geometry', ST_AsGeoJSON(t.geom, 7)::json,
      'properties', to_json(props)
    )::text AS feature`;

export function propertiesLateral(layer: LayerDefinition): string {
  return `CROSS JOIN LATERAL (SELECT ${propertyList(layer)}) props`;
}

/** Whether a query narrows the layer at all: without filters its count is the layer's own. */
export function isFiltered(query: ItemsQuery): boolean {
  return query.bbox !== undefined || query.datetime !== undefined || query.filters.length > 0;
}

/** The WHERE conditions of an items query, each value a parameter of the statement. */
function conditionsOf(layer: LayerDefinition, query: ItemsQuery, parameter: (value: unknown) => string): string[] {
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
    conditions.push(`t.${identifier(field.name)} = ${parameter(value)}::${sqlTypeOf[field.type]}`);
  }
  return conditions;
}

function statementParameters() {
  const values: unknown[] = [];
  const parameter = (value: unknown) => `$${values.push(value)}`;
  return { values, parameter };
}

/**
 * One parameterised statement returning a feature's GeoJSON text per row: the page's rows and
 * one more, whose presence says a next page exists.
 */
export function itemsSql(layer: LayerDefinition, query: ItemsQuery): { text: string; values: unknown[] } {
  const { values, parameter } = statementParameters();
  const conditions = conditionsOf(layer, query, parameter);
  // The page's ids first, then GeoJSON for those rows only: building it for every row that
  // OFFSET skips made deep pages cost seconds.
  const text = `
    WITH page AS (
      SELECT t.id FROM ${identifier(layer.table)} t
      WHERE ${conditions.join(' AND ')}
      ORDER BY t.id
      LIMIT ${parameter(query.limit + 1)} OFFSET ${parameter(query.offset)}
    )
    SELECT ${featureJson}
    FROM page JOIN ${identifier(layer.table)} t USING (id)
    ${propertiesLateral(layer)}
    ORDER BY t.id`;
  return { text, values };
}

/**
 * How many features the query matches, counting no further than `cap`: a count that reaches the
 * cap says only "at least", and the caller leaves numberMatched out.
 */
export function matchedCountSql(layer: LayerDefinition, query: ItemsQuery, cap: number): { text: string; values: unknown[] } {
  const { values, parameter } = statementParameters();
  const conditions = conditionsOf(layer, query, parameter);
  const text = `
    SELECT count(*)::int AS matched FROM (
      SELECT 1 FROM ${identifier(layer.table)} t WHERE ${conditions.join(' AND ')} LIMIT ${parameter(cap)}
    ) capped`;
  return { text, values };
}

export function itemSql(layer: LayerDefinition): string {
  return `
    SELECT ${featureJson}, t.version
    FROM ${identifier(layer.table)} t
    ${propertiesLateral(layer)}
    WHERE t.id = $1 AND t.deleted_at IS NULL`;
}
