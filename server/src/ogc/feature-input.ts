import { z } from 'zod';
import { badRequest, HttpProblem, type InvalidParam } from '../http/problem.ts';
import type { FieldDefinition, GeometryType, LayerDefinition } from '../registry/layers.ts';
import type { Bounds } from '../tiles/layer-extents.ts';

export const maxVertices = 10_000;

/** A write's content once checked: the geometry as GeoJSON text and the properties to set. */
export interface FeatureInput {
  geometry?: { type: string; coordinates: unknown };
  properties: Map<FieldDefinition, string | number | boolean | null>;
}

export type WriteMode = 'create' | 'replace' | 'patch';

const featureBodySchema = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  geometry: z.object({ type: z.string(), coordinates: z.array(z.unknown()) }).nullable().optional(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** Geometry types a layer accepts: a multipolygon layer takes a single polygon too. */
const acceptedGeometry: Record<GeometryType, string[]> = {
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

function checkGeometry(layer: LayerDefinition, geometry: { type: string; coordinates: unknown[] }, cityExtent: Bounds, problems: InvalidParam[]): void {
  if (!acceptedGeometry[layer.geometryType].includes(geometry.type)) {
    problems.push({ name: 'geometry', reason: `${layer.id} holds ${layer.geometryType} geometries, not ${geometry.type}` });
    return;
  }
  const positions = positionsOf(geometry.coordinates, depthOf[geometry.type]!, problems);
  if (positions.length > maxVertices) problems.push({ name: 'geometry', reason: `at most ${maxVertices} vertices, got ${positions.length}` });
  if (geometry.type === 'LineString' && positions.length < 2) problems.push({ name: 'geometry', reason: 'a line needs at least 2 positions' });
  if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') checkRings(geometry.type, geometry.coordinates, problems);
  const [west, south, east, north] = cityExtent;
  const outside = positions.find(([lon, lat]) => lon < west || lon > east || lat < south || lat > north);
  if (outside) {
    problems.push({ name: 'geometry', reason: `position ${JSON.stringify(outside)} lies outside the city (${cityExtent.map((n) => n.toFixed(3)).join(', ')})` });
  }
}

const timePattern = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** A property value checked against its registry field: its type, enum and range. */
function checkValue(field: FieldDefinition, value: unknown, problems: InvalidParam[]): string | number | boolean | null | undefined {
  const fail = (reason: string) => {
    problems.push({ name: `properties.${field.name}`, reason });
    return undefined;
  };
  if (value === null) return null;
  if (field.values) {
    return field.values.some((allowed) => allowed.value === value)
      ? (value as string)
      : fail(`must be one of ${field.values.map((allowed) => allowed.value).join(', ')}`);
  }
  switch (field.type) {
    case 'string':
      return typeof value === 'string' && value.length <= 500 ? value : fail('must be text of at most 500 characters');
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a finite number');
      if (field.type === 'integer' && !Number.isInteger(value)) return fail('must be a whole number');
      if (field.minimum !== undefined && value < field.minimum) return fail(`must be at least ${field.minimum}`);
      if (field.maximum !== undefined && value > field.maximum) return fail(`must be at most ${field.maximum}`);
      return value;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('must be true or false');
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value) ? value : fail('must be an RFC 3339 date-time');
    case 'date':
      return typeof value === 'string' && datePattern.test(value) && !Number.isNaN(Date.parse(value)) ? value : fail('must be a date, YYYY-MM-DD');
    case 'time':
      return typeof value === 'string' && timePattern.test(value) ? value : fail('must be a time of day, HH:MM');
  }
}

/**
 * The body of a POST, PUT or PATCH checked against the layer, every problem collected: a
 * malformed body is a 400, a well-formed feature the layer cannot hold a 422. Nothing here
 * touches the database; ST_IsValid is asked separately, inside the write's transaction.
 */
export function parseFeatureInput(layer: LayerDefinition, body: unknown, mode: WriteMode, cityExtent: Bounds): FeatureInput {
  const parsed = featureBodySchema.safeParse(body);
  if (!parsed.success) {
    throw badRequest(
      'The body must be a GeoJSON Feature.',
      parsed.error.issues.map((issue) => ({ name: issue.path.join('.') || 'body', reason: issue.message })),
    );
  }
  const problems: InvalidParam[] = [];
  const { geometry, properties } = parsed.data;
  if (mode !== 'patch' && !geometry) problems.push({ name: 'geometry', reason: 'a feature needs a geometry' });
  if (geometry) checkGeometry(layer, geometry as { type: string; coordinates: unknown[] }, cityExtent, problems);

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
  if (problems.length > 0) throw unprocessable(`The feature cannot be stored in ${layer.id}.`, problems);
  return { geometry: geometry ?? undefined, properties: values };
}
