import { z } from 'zod';
import { isInstantWithin } from '../http/instants.ts';
import { badRequest, HttpProblem, invalidParamsOf, type InvalidParam } from '../http/problem.ts';
import type { FieldDefinition, GeometryType, LayerDefinition } from '../registry/layers.ts';
import type { Bounds } from '../tiles/layer-extents.ts';

export const maxVertices = 10_000;

/** A write's content once checked: the geometry as GeoJSON text and the properties to set. */
export interface FeatureInput {
  geometry?: { type: string; coordinates: unknown };
  properties: Map<FieldDefinition, string | number | boolean | null>;
  /**
   * What is wrong with the body so far. The write adds PostGIS's verdict on the geometry (which
   * needs the database) and answers 422 with all of them at once.
   */
  problems: InvalidParam[];
  /** The geometry is well formed enough for ST_IsValid to judge it. */
  geometryCheckable: boolean;
}

type WriteMode = 'create' | 'replace' | 'patch';

const featureBodySchema = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  geometry: z.object({ type: z.string(), coordinates: z.array(z.unknown()) }).nullable().optional(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** Geometry types a layer accepts: a multipolygon layer takes a single polygon too. */
export const acceptedGeometry: Record<GeometryType, string[]> = {
  Point: ['Point'],
  LineString: ['LineString'],
  Polygon: ['Polygon'],
  MultiPolygon: ['Polygon', 'MultiPolygon'],
};

export const unprocessable = (detail: string, invalidParams: InvalidParam[]) =>
  new HttpProblem(422, 'Unprocessable Content', detail, invalidParams);

type Position = [number, number];

/** Positions of a geometry's coordinate tree, checked to be pairs of finite numbers. */
function positionsOf(coordinates: unknown, depth: number, problems: InvalidParam[]): Position[] {
  if (depth === 0) {
    if (!Array.isArray(coordinates) || coordinates.length < 2 || coordinates.length > 3 || !coordinates.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      problems.push({ name: 'geometry', reason: `a position must be [longitude, latitude] of finite numbers, got ${JSON.stringify(coordinates)?.slice(0, 80)}` });
      return [];
    }
    return [[coordinates[0] as number, coordinates[1] as number]];
  }
  if (!Array.isArray(coordinates)) {
    problems.push({ name: 'geometry', reason: 'coordinates are not nested as the geometry type needs' });
    return [];
  }
  return coordinates.flatMap((part) => positionsOf(part, depth - 1, problems));
}

const depthOf: Record<string, number> = { Point: 0, LineString: 1, Polygon: 2, MultiPolygon: 3 };

function checkRings(type: string, coordinates: unknown[], problems: InvalidParam[]): void {
  const polygons = (type === 'Polygon' ? [coordinates] : coordinates) as unknown[][];
  polygons.forEach((rings, polygonIndex) => {
    if (!Array.isArray(rings) || rings.length === 0) {
      problems.push({ name: 'geometry', reason: 'a polygon needs at least one ring' });
      return;
    }
    rings.forEach((ring, ringIndex) => {
      const where = type === 'Polygon' ? `ring ${ringIndex}` : `polygon ${polygonIndex} ring ${ringIndex}`;
      if (!Array.isArray(ring) || ring.length < 4) {
        problems.push({ name: 'geometry', reason: `${where} needs at least 4 positions` });
        return;
      }
      const first = ring[0] as number[];
      const last = ring[ring.length - 1] as number[];
      if (first?.[0] !== last?.[0] || first?.[1] !== last?.[1]) problems.push({ name: 'geometry', reason: `${where} is not closed: its last position must equal its first` });
    });
  });
}

/** Structural checks of a geometry; true when it is sound enough for ST_IsValid. */
function checkGeometry(layer: LayerDefinition, geometry: { type: string; coordinates: unknown[] }, cityExtent: Bounds, problems: InvalidParam[]): boolean {
  if (!acceptedGeometry[layer.geometryType].includes(geometry.type)) {
    problems.push({ name: 'geometry', reason: `${layer.id} holds ${layer.geometryType} geometries, not ${geometry.type}` });
    return false;
  }
  const problemsBefore = problems.length;
  const positions = positionsOf(geometry.coordinates, depthOf[geometry.type]!, problems);
  if (positions.length > maxVertices) problems.push({ name: 'geometry', reason: `at most ${maxVertices} vertices, got ${positions.length}` });
  if (geometry.type === 'LineString' && positions.length < 2) problems.push({ name: 'geometry', reason: 'a line needs at least 2 positions' });
  if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') checkRings(geometry.type, geometry.coordinates, problems);
  const [west, south, east, north] = cityExtent;
  const outside = positions.find(([lon, lat]) => lon < west || lon > east || lat < south || lat > north);
  const structurallySound = problems.length === problemsBefore;
  if (outside) {
    problems.push({ name: 'geometry', reason: `position ${JSON.stringify(outside)} lies outside the city (${cityExtent.map((n) => n.toFixed(3)).join(', ')})` });
  }
  return structurallySound;
}

const timePattern = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Property dates are the city's records: real days in years such records can hold. */
const isRecordDate = (value: string) => isInstantWithin(value, 1900, 2999);
const isDate = (value: unknown): value is string => typeof value === 'string' && datePattern.test(value) && isRecordDate(value);
// A stored moment names its offset: a bare wall-clock time would depend on the server's zone.
const isDateTime = (value: unknown): value is string => typeof value === 'string' && dateTimePattern.test(value) && isRecordDate(value);

/** A field's bounds in words, for the message when a value breaks them. */
function rangeProblem(field: FieldDefinition, value: number): string | undefined {
  if (field.minimum !== undefined && value < field.minimum) return `must be at least ${field.minimum}`;
  if (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum) return `must be more than ${field.exclusiveMinimum}`;
  if (field.maximum !== undefined && value > field.maximum) return `must be at most ${field.maximum}`;
  if (field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum) return `must be less than ${field.exclusiveMaximum}`;
  return undefined;
}

/** A property value checked against its registry field: its type, enum and range. */
function checkValue(field: FieldDefinition, value: unknown, problems: InvalidParam[]): string | number | boolean | null | undefined {
  const fail = (reason: string) => {
    problems.push({ name: `properties.${field.name}`, reason });
    return undefined;
  };
  if (value === null) return field.optional ? null : fail('must have a value');
  if (field.values) {
    return field.values.some((allowed) => allowed.value === value)
      ? (value as string)
      : fail(`must be one of ${field.values.map((allowed) => allowed.value).join(', ')}`);
  }
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string' || value.length > 500) return fail('must be text of at most 500 characters');
      // PostgreSQL text cannot hold a NUL character.
      return value.includes('\u0000') ? fail('must not contain NUL characters') : value;
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a finite number');
      if (field.type === 'integer' && !Number.isSafeInteger(value)) return fail('must be a whole number');
      const outOfRange = rangeProblem(field, value);
      return outOfRange ? fail(outOfRange) : value;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('must be true or false');
    case 'datetime':
      return isDateTime(value) ? value : fail('must be an RFC 3339 date-time between the years 1900 and 2999, such as 2026-05-01T08:30:00+08:00');
    case 'date':
      return isDate(value) ? value : fail('must be a date, YYYY-MM-DD');
    case 'time':
      return typeof value === 'string' && timePattern.test(value) ? value : fail('must be a time of day, HH:MM');
  }
}

/**
 * The body of a POST, PUT or PATCH checked against the layer, every problem collected: a
 * malformed body is a 400 at once; what a well-formed feature gets wrong is collected in
 * `problems` for the 422. Nothing here touches the database; ST_IsValid is asked inside the
 * write's transaction, so its reason joins the rest.
 */
export function parseFeatureInput(layer: LayerDefinition, body: unknown, mode: WriteMode, cityExtent: Bounds): FeatureInput {
  const parsed = featureBodySchema.safeParse(body);
  if (!parsed.success) {
    throw badRequest(
      'The body must be a GeoJSON Feature.',
      invalidParamsOf(parsed.error),
    );
  }
  const problems: InvalidParam[] = [];
  const { geometry, properties } = parsed.data;
  if (mode !== 'patch' && !geometry) problems.push({ name: 'geometry', reason: 'a feature needs a geometry' });
  const geometryCheckable = geometry ? checkGeometry(layer, geometry as { type: string; coordinates: unknown[] }, cityExtent, problems) : false;

  const values = new Map<FieldDefinition, string | number | boolean | null>();
  for (const [name, value] of Object.entries(properties ?? {})) {
    const field = layer.fields.find((candidate) => candidate.name === name);
    if (!field) {
      problems.push({ name: `properties.${name}`, reason: `${layer.id} has no property ${name}` });
      continue;
    }
    // Derived values (an alley's length) follow the geometry; a client's copy is ignored.
    if (field.derived) continue;
    const checked = checkValue(field, value, problems);
    if (checked !== undefined) values.set(field, checked);
  }
  if (mode !== 'patch') fillLeftOutFields(layer, mode, values, problems);
  checkOrder(layer, values, problems);
  return { geometry: geometry ?? undefined, properties: values, problems, geometryCheckable };
}

/**
 * Fields a create or a replacement leaves out: a create lets the table fill in its default, a
 * replacement sets the default itself (or empties an optional field); anything else is missing.
 */
function fillLeftOutFields(layer: LayerDefinition, mode: 'create' | 'replace', values: Map<FieldDefinition, unknown>, problems: InvalidParam[]): void {
  for (const field of layer.fields) {
    if (field.derived || values.has(field) || problems.some((problem) => problem.name === `properties.${field.name}`)) continue;
    if (field.defaultValue !== undefined) {
      if (mode === 'replace') values.set(field, field.defaultValue);
    } else if (field.optional) {
      if (mode === 'replace') values.set(field, null);
    } else {
      problems.push({ name: `properties.${field.name}`, reason: 'is required' });
    }
  }
}

/** A deadline before its report: checked here when the write holds both, by the table otherwise. */
function checkOrder(layer: LayerDefinition, values: Map<FieldDefinition, unknown>, problems: InvalidParam[]): void {
  for (const field of layer.fields) {
    const earlier = field.notBefore ? layer.fields.find((candidate) => candidate.name === field.notBefore) : undefined;
    const later = values.get(field);
    const first = earlier ? values.get(earlier) : undefined;
    if (typeof later === 'string' && typeof first === 'string' && Date.parse(later) < Date.parse(first)) {
      problems.push({ name: `properties.${field.name}`, reason: `must not be before ${field.notBefore}` });
    }
  }
}

/** The 422 for a write with problems, all of them named. */
export function rejectIfProblems(layer: LayerDefinition, input: FeatureInput): void {
  if (input.problems.length > 0) throw unprocessable(`The feature cannot be stored in ${layer.id}.`, input.problems);
}
