/**
 * Back alleys (背街小巷): lanes narrower than 10 m that leave a street on one of its exact
 * vertices and run into the block behind it: dead ends, bent lanes, and lanes through to the
 * street on the far side. Published: 693 alleys, 44 of them renovated by end of May.
 */
import { districtLocator } from './city-plan.ts';
import { alleyProblems, chineseNumeral, historicAlleyNames } from './names.ts';
import { lengthOf, positionOf, roundedMetres, type Metres } from './projection.ts';
import { Random } from './random.ts';
import type { AlleyRow } from './rows.ts';
import {
  acrossOf,
  metresInFrame,
  pointOnLine,
  vertexStep,
  type Axis,
  type StreetGrid,
  type StreetLine,
} from './street-grid.ts';

const alleysAtScale1 = 693;
const renovatedAtScale1 = 44;
const maximumAlleyLength = 450;
const minimumAlleyLength = 80;

/**
 * Room for one alley: one half of a block, entered from one of the two streets bounding it.
 * Each block has two slots, in opposite halves and from opposite streets, so the lanes of one
 * block never cross each other.
 */
export interface AlleySlot {
  /** The street the alley leaves from, and the one across the block. */
  base: StreetLine;
  opposite: StreetLine;
  /** Along-range of the half block the alley stays in. */
  from: number;
  to: number;
  /** +1 if the alley heads toward larger across-coordinates. */
  heading: 1 | -1;
}

/** Alleys stay this far from the side streets of their block (which wander up to 20 m). */
const sideStreetClearance = 45;
const halfBlockGap = 12;

export function alleyCount(scale: number): number {
  return Math.round(alleysAtScale1 * scale);
}

/**
 * All alley slots, most likely first: weighted toward the centre, where the old town's lanes
 * are. Alleys take the front of the list and fire lanes the slots after them.
 */
export function alleySlotsByLikelihood(grid: StreetGrid): AlleySlot[] {
  const random = Random.stream(grid.plan.seed, 'alley-slots');
  const halfDiagonal = Math.hypot(grid.plan.width, grid.plan.height) / 2;
  const ranked: { slot: AlleySlot; key: number }[] = [];
  for (let column = 0; column < grid.plan.blocksAcross; column++) {
    for (let row = 0; row < grid.plan.blocksUp; row++) {
      const axis: Axis = random.chance(0.5) ? 'ew' : 'ns';
      const bases = axis === 'ew' ? grid.eastWest : grid.northSouth;
      const sides = axis === 'ew' ? grid.northSouth : grid.eastWest;
      const baseIndex = axis === 'ew' ? row : column;
      const sideIndex = axis === 'ew' ? column : row;
      const lower = bases[baseIndex] as StreetLine;
      const upper = bases[baseIndex + 1] as StreetLine;
      const start = (sides[sideIndex] as StreetLine).position + sideStreetClearance;
      const end = (sides[sideIndex + 1] as StreetLine).position - sideStreetClearance;
      const middle = (start + end) / 2;
      const centre = metresInFrame(axis, middle, (lower.position + upper.position) / 2);
      const closeness = 1 - Math.min(1, Math.hypot(centre[0], centre[1]) / halfDiagonal);
      const weight = 0.15 + 3 * closeness * closeness;
      for (const slot of [
        { base: lower, opposite: upper, from: start, to: middle - halfBlockGap, heading: 1 as const },
        { base: upper, opposite: lower, from: middle + halfBlockGap, to: end, heading: -1 as const },
      ]) {
        ranked.push({ slot, key: Math.pow(random.fraction(), 1 / weight) });
      }
    }
  }
  return ranked.sort((a, b) => b.key - a.key).map((entry) => entry.slot);
}

/** Where an alley leaves its street: a multiple of 50 m along, hence an exact road vertex. */
export function entranceAlong(slot: AlleySlot, random: Random): number {
  const first = Math.ceil(slot.from / vertexStep);
  const last = Math.floor(slot.to / vertexStep);
  if (last < first) throw new Error('half block too short for an alley');
  return random.integer(first, last) * vertexStep;
}

/** Across-distance from the entrance to the street on the far side of the block. */
export function blockDepthAt(slot: AlleySlot, along: number): number {
  const { axis } = slot.base;
  return Math.abs(acrossOf(axis, pointOnLine(slot.opposite, along)) - acrossOf(axis, pointOnLine(slot.base, along)));
}

function alleyPath(slot: AlleySlot, random: Random): Metres[] {
  const { axis } = slot.base;
  const along = entranceAlong(slot, random);
  const entrance = pointOnLine(slot.base, along);
  const startAcross = acrossOf(axis, entrance);
  const depth = blockDepthAt(slot, along);
  const at = (alongOffset: number, inward: number): Metres =>
    metresInFrame(axis, along + alongOffset, startAcross + slot.heading * inward);
  const jitter = () => random.between(-2.5, 2.5);

  const shape = random.weighted([
    ['dead_end', 0.45],
    ['bent', 0.3],
    ['through', 0.25],
  ] as const);

  if (shape === 'through') {
    const exit = pointOnLine(slot.opposite, along);
    const exitDepth = Math.abs(acrossOf(axis, exit) - startAcross);
    return [entrance, at(jitter(), exitDepth * 0.3), at(jitter(), exitDepth * 0.65), exit];
  }

  // A bent lane turns toward whichever end of its half block has more room, and stays in it.
  const roomBefore = along - slot.from;
  const roomAfter = slot.to - along;
  const turn = roomAfter > roomBefore ? 1 : -1;
  const room = Math.max(roomBefore, roomAfter);
  const firstLeg = random.between(70, Math.max(70, depth - 70));
  if (shape === 'bent' && room >= 40 && firstLeg + 40 <= maximumAlleyLength - 10) {
    const secondLeg = random.between(40, Math.min(room, maximumAlleyLength - 10 - firstLeg));
    return [
      entrance,
      at(jitter(), firstLeg / 2),
      at(jitter(), firstLeg),
      at(turn * secondLeg * 0.5, firstLeg + jitter()),
      at(turn * secondLeg, firstLeg + jitter()),
    ];
  }

  const length = random.between(minimumAlleyLength + 5, Math.min(400, depth - 30));
  const steps = Math.max(1, Math.ceil(length / 70));
  const path: Metres[] = [entrance];
  for (let step = 1; step <= steps; step++) path.push(at(jitter(), (length * step) / steps));
  return path;
}

function renovationStages(grid: StreetGrid, count: number): AlleyRow['renovation'][] {
  const random = Random.stream(grid.plan.seed, 'alley-renovation');
  const renovated = new Set(
    random
      .shuffled(Array.from({ length: count }, (_, index) => index))
      .slice(0, Math.round(renovatedAtScale1 * grid.plan.scale)),
  );
  return Array.from({ length: count }, (_, index) =>
    renovated.has(index)
      ? random.chance(0.7)
        ? 'completed'
        : 'reinspected'
      : random.weighted([
          ['surveyed', 0.4],
          ['planned', 0.35],
          ['in_progress', 0.25],
        ] as const),
  );
}

export function* alleyRows(grid: StreetGrid): Generator<AlleyRow> {
  const count = alleyCount(grid.plan.scale);
  const slots = alleySlotsByLikelihood(grid);
  if (slots.length < count) throw new RangeError(`scale ${grid.plan.scale} has room for ${slots.length} alleys, not ${count}`);
  const stages = renovationStages(grid, count);
  const districtAt = districtLocator(grid.plan);
  const lanesPerStreet = new Map<string, number>();
  for (let rank = 0; rank < count; rank++) {
    const slot = slots[rank] as AlleySlot;
    const random = Random.stream(grid.plan.seed, 'alley', rank);
    const path = alleyPath(slot, random);
    const lane = (lanesPerStreet.get(slot.base.name) ?? 0) + 1;
    lanesPerStreet.set(slot.base.name, lane);
    const problems = random.shuffled(alleyProblems).slice(0, random.integer(1, 3));
    yield {
      // The most central alleys are the old town's real lanes.
      name: historicAlleyNames[rank] ?? `${slot.base.name}${chineseNumeral(lane)}巷`,
      width_m: roundedMetres(random.between(2.5, 9.5)),
      length_m: roundedMetres(lengthOf(path)),
      renovation: stages[rank] as AlleyRow['renovation'],
      problems: problems.join('、'),
      district: districtAt(path[0] as Metres),
      geometry: { type: 'LineString', coordinates: path.map(positionOf) },
    };
  }
}
