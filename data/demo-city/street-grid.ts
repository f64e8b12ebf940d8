/**
 * The street network: straight-ish lines east-west and north-south, 375 m apart, every 4th an
 * arterial (1.5 km apart), every other one in between a secondary street, the rest branch
 * streets. Each line wanders a little (a sum of two gentle sine waves) so the map does not look
 * ruled, yet crossings stay exact: a crossing is solved on both curves and becomes a shared
 * vertex of the roads on each line.
 *
 * A line is cut into roads at crossings with arterials (arterials) or with arterials and
 * secondaries (the others), so a road is 750 m or 1.5 km long, as a bureau's road list would have it.
 */
import { cityPlanFor, districtLocator, edgeMargin, streetSpacing, type CityPlan } from './city-plan.ts';
import {
  eastWestArterialNames,
  eastWestSecondaryNames,
  northSouthArterialNames,
  northSouthSecondaryNames,
  StreetNamer,
} from './names.ts';
import { lengthOf, positionOf, roundedMetres, type Metres } from './projection.ts';
import { Random } from './random.ts';
import type { DistrictCode, Lighting, RoadClass, RoadRow } from './rows.ts';

/** 'ew' lines run east-west (along = x, across = y); 'ns' lines run north-south. */
export type Axis = 'ew' | 'ns';

interface Wave {
  amplitude: number;
  wavelength: number;
  phase: number;
}

export interface StreetLine {
  axis: Axis;
  index: number;
  /** Nominal across-coordinate (y of an east-west line, x of a north-south line). */
  position: number;
  roadClass: RoadClass;
  name: string;
  widthM: number;
  waves: Wave[];
}

export interface Road {
  index: number;
  line: StreetLine;
  /** Indices of the perpendicular lines the road runs between. */
  from: number;
  to: number;
  district: DistrictCode;
  lighting: Lighting;
}

export interface StreetGrid {
  plan: CityPlan;
  eastWest: StreetLine[];
  northSouth: StreetLine[];
  roads: Road[];
}

/** Vertices every 50 m of a line's along-coordinate; alleys start on these exact vertices. */
export const vertexStep = 50;

/** Published: 120 unlit roads at scale 1, of which we make 40% 有路无灯 and the rest 有灯不亮. */
const unlitRoadsAtScale1 = 120;
const noLampsShare = 0.4;

function roadClassOfLine(index: number): RoadClass {
  if (index % 4 === 0) return 'arterial';
  return index % 2 === 0 ? 'secondary' : 'branch';
}

/** Arterials are laid out nearly straight; small streets wander more. */
const waviness: Record<RoadClass, [min: number, max: number]> = {
  arterial: [2, 6],
  secondary: [5, 14],
  branch: [8, 20],
};

const widthRange: Record<RoadClass, [min: number, max: number]> = {
  arterial: [30, 50],
  secondary: [16, 24],
  // Branch streets stay at 10 m or wider: narrower ones are back alleys, a layer of their own.
  branch: [10, 14],
};

function wavesFor(random: Random, roadClass: RoadClass): Wave[] {
  const [min, max] = waviness[roadClass];
  const total = random.between(min, max);
  return [
    { amplitude: total * 0.7, wavelength: random.between(1400, 2600), phase: random.between(0, 2 * Math.PI) },
    { amplitude: total * 0.3, wavelength: random.between(900, 1300), phase: random.between(0, 2 * Math.PI) },
  ];
}

export function offsetAt(line: StreetLine, along: number): number {
  let offset = 0;
  for (const wave of line.waves) offset += wave.amplitude * Math.sin((2 * Math.PI * along) / wave.wavelength + wave.phase);
  return offset;
}

/** A point given in a line's frame (along it, across it) as local metres. */
export function metresInFrame(axis: Axis, along: number, across: number): Metres {
  return axis === 'ew' ? [along, across] : [across, along];
}

export function pointOnLine(line: StreetLine, along: number): Metres {
  return metresInFrame(line.axis, along, line.position + offsetAt(line, along));
}

function alongOf(axis: Axis, point: Metres): number {
  return axis === 'ew' ? point[0] : point[1];
}

export function acrossOf(axis: Axis, point: Metres): number {
  return axis === 'ew' ? point[1] : point[0];
}

/**
 * Where two perpendicular lines meet. Fixed-point iteration converges fast because the lines'
 * slopes stay below 0.2; always called as (north-south, east-west) so both roads get the very
 * same floating-point vertex.
 */
export function crossingOf(northSouth: StreetLine, eastWest: StreetLine): Metres {
  let x = northSouth.position;
  for (let step = 0; step < 12; step++) {
    const y = eastWest.position + offsetAt(eastWest, x);
    x = northSouth.position + offsetAt(northSouth, y);
  }
  return [x, eastWest.position + offsetAt(eastWest, x)];
}

export function perpendicularLines(grid: StreetGrid, line: StreetLine): StreetLine[] {
  return line.axis === 'ew' ? grid.northSouth : grid.eastWest;
}

function crossingOnLine(grid: StreetGrid, line: StreetLine, perpendicularIndex: number): Metres {
  const other = perpendicularLines(grid, line)[perpendicularIndex];
  if (!other) throw new Error(`no line ${perpendicularIndex} across ${line.name}`);
  return line.axis === 'ew' ? crossingOf(other, line) : crossingOf(line, other);
}

/** A road's centreline: its end crossings, the crossings it passes, and a vertex every 50 m. */
export function roadPath(grid: StreetGrid, road: Road): Metres[] {
  const { axis } = road.line;
  const crossings: Metres[] = [];
  for (let index = road.from; index <= road.to; index++) crossings.push(crossingOnLine(grid, road.line, index));
  const crossingAlongs = crossings.map((point) => alongOf(axis, point));
  const start = crossingAlongs[0] as number;
  const end = crossingAlongs[crossingAlongs.length - 1] as number;
  const vertices: { along: number; point: Metres }[] = crossings.map((point, i) => ({
    along: crossingAlongs[i] as number,
    point,
  }));
  for (let along = Math.ceil(start / vertexStep) * vertexStep; along < end; along += vertexStep) {
    // A vertex a few metres from a crossing adds nothing but a near-duplicate point.
    if (crossingAlongs.some((crossing) => Math.abs(crossing - along) < 5)) continue;
    vertices.push({ along, point: pointOnLine(road.line, along) });
  }
  return vertices.sort((a, b) => a.along - b.along).map((vertex) => vertex.point);
}

function streetLines(plan: CityPlan, axis: Axis, count: number, namer: StreetNamer): StreetLine[] {
  const random = Random.stream(plan.seed, 'street-lines', axis);
  const origin = axis === 'ew' ? plan.south : plan.west;
  const lines: StreetLine[] = [];
  for (let index = 0; index <= count; index++) {
    const roadClass = roadClassOfLine(index);
    const [minWidth, maxWidth] = widthRange[roadClass];
    lines.push({
      axis,
      index,
      position: origin + edgeMargin + index * streetSpacing,
      roadClass,
      name: namer.name(axis, `${axis}-${roadClass}`),
      widthM: Math.round(random.between(minWidth, maxWidth)),
      waves: wavesFor(random, roadClass),
    });
  }
  return lines;
}

/** Cut points along a line: arterials split at arterials, other streets at secondaries too. */
function splitIndices(line: StreetLine, perpendicularCount: number): number[] {
  const step = line.roadClass === 'arterial' ? 4 : 2;
  const indices: number[] = [];
  for (let index = 0; index <= perpendicularCount; index += step) indices.push(index);
  return indices;
}

/**
 * Which non-arterial roads are unlit. Weighted toward the edge of the city: the roads without
 * lamps are mostly newer streets on the fringe, not the lit-up centre.
 */
function unlitRoadLighting(plan: CityPlan, roads: Road[], midpoints: Metres[]): Map<number, Lighting> {
  const random = Random.stream(plan.seed, 'unlit-roads');
  const halfDiagonal = Math.hypot(plan.width, plan.height) / 2;
  const candidates = roads
    .filter((road) => road.line.roadClass !== 'arterial')
    .map((road) => {
      const midpoint = midpoints[road.index] as Metres;
      const weight = 0.3 + Math.hypot(midpoint[0], midpoint[1]) / halfDiagonal;
      // Efraimidis-Spirakis: the largest u^(1/w) form a weighted sample without replacement.
      return { index: road.index, key: Math.pow(random.fraction(), 1 / weight) };
    })
    .sort((a, b) => b.key - a.key);
  const unlitCount = Math.round(unlitRoadsAtScale1 * plan.scale);
  if (unlitCount > candidates.length) throw new RangeError(`scale ${plan.scale} is too small for ${unlitCount} unlit roads`);
  const noLampsCount = Math.round(unlitCount * noLampsShare);
  return new Map(
    candidates.slice(0, unlitCount).map((candidate, rank) => [candidate.index, rank < noLampsCount ? 'no_lamps' : 'lamps_out']),
  );
}

export function buildStreetGrid(seed: number, scale: number): StreetGrid {
  const plan = cityPlanFor(seed, scale);
  const namer = new StreetNamer({
    'ew-arterial': eastWestArterialNames,
    'ns-arterial': northSouthArterialNames,
    'ew-secondary': eastWestSecondaryNames,
    'ns-secondary': northSouthSecondaryNames,
  });
  const grid: StreetGrid = {
    plan,
    northSouth: streetLines(plan, 'ns', plan.blocksAcross, namer),
    eastWest: streetLines(plan, 'ew', plan.blocksUp, namer),
    roads: [],
  };
  const districtAt = districtLocator(plan);
  const midpoints: Metres[] = [];
  for (const line of [...grid.northSouth, ...grid.eastWest]) {
    const cuts = splitIndices(line, perpendicularLines(grid, line).length - 1);
    for (let i = 1; i < cuts.length; i++) {
      const from = cuts[i - 1] as number;
      const to = cuts[i] as number;
      const a = crossingOnLine(grid, line, from);
      const b = crossingOnLine(grid, line, to);
      const midpoint: Metres = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      midpoints.push(midpoint);
      grid.roads.push({ index: grid.roads.length, line, from, to, district: districtAt(midpoint), lighting: 'lit' });
    }
  }
  for (const [index, lighting] of unlitRoadLighting(plan, grid.roads, midpoints)) {
    (grid.roads[index] as Road).lighting = lighting;
  }
  return grid;
}

export function* roadRows(grid: StreetGrid): Generator<RoadRow> {
  for (const road of grid.roads) {
    const path = roadPath(grid, road);
    yield {
      name: road.line.name,
      road_class: road.line.roadClass,
      width_m: road.line.widthM,
      length_m: roundedMetres(lengthOf(path)),
      lighting: road.lighting,
      district: road.district,
      geometry: { type: 'LineString', coordinates: path.map(positionOf) },
    };
  }
}
