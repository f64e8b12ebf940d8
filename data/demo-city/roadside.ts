/**
 * Places beside a road: the kerbside rectangles of vendor zones, school gates and hospitals,
 * and the scattered points of trash hotspots and cases.
 */
import type { Metres } from './projection.ts';
import { Random } from './random.ts';
import {
  acrossOf,
  metresInFrame,
  perpendicularLines,
  pointOnLine,
  type StreetGrid,
  type StreetLine,
} from './street-grid.ts';

/** One side of one block-long stretch of a (non-arterial) street. */
export interface RoadsideSlot {
  line: StreetLine;
  /** The stretch between perpendicular lines `interval` and `interval + 1`. */
  interval: number;
  /** +1: the side with the larger across-coordinate (north / east); -1: the other. */
  side: 1 | -1;
}

/** Keeps rectangles clear of the crossings at both ends of a stretch. */
const crossingClearance = 60;

/**
 * Every kerbside stretch of secondary and branch streets, shuffled. Layers take slots from the
 * front in turn, so no two rectangles share a stretch side and none overlaps another. Arterials
 * are left out: their kerbs are the main-carriageway no-vending strips.
 */
export function roadsideSlots(grid: StreetGrid): RoadsideSlot[] {
  const slots: RoadsideSlot[] = [];
  for (const line of [...grid.northSouth, ...grid.eastWest]) {
    if (line.roadClass === 'arterial') continue;
    const stretches = perpendicularLines(grid, line).length - 1;
    for (let interval = 0; interval < stretches; interval++) {
      slots.push({ line, interval, side: 1 }, { line, interval, side: -1 });
    }
  }
  return Random.stream(grid.plan.seed, 'roadside-slots').shuffled(slots);
}

/** The along-range of a stretch, kept clear of its crossings. */
export function usableStretch(grid: StreetGrid, slot: RoadsideSlot): [from: number, to: number] {
  const crossing = perpendicularLines(grid, slot.line);
  const from = (crossing[slot.interval] as StreetLine).position + crossingClearance;
  const to = (crossing[slot.interval + 1] as StreetLine).position - crossingClearance;
  return [from, to];
}

/**
 * A rectangle against the kerb: its near edge parallel to the road's chord over the rectangle's
 * length, `width / 2 + 0.5` m from the centreline, reaching `depth` m further out.
 */
export function kerbsideRectangle(
  line: StreetLine,
  centreAlong: number,
  length: number,
  side: 1 | -1,
  depth: number,
): Metres[] {
  const start = pointOnLine(line, centreAlong - length / 2);
  const end = pointOnLine(line, centreAlong + length / 2);
  const chord = Math.hypot(end[0] - start[0], end[1] - start[1]);
  const direction: Metres = [(end[0] - start[0]) / chord, (end[1] - start[1]) / chord];
  // The left-hand normal points to larger y on an east-west line but smaller x on a north-south one.
  const handedness = (line.axis === 'ew' ? 1 : -1) * side;
  const normal: Metres = [-direction[1] * handedness, direction[0] * handedness];
  const near = line.widthM / 2 + 0.5;
  const far = near + depth;
  const offset = (point: Metres, distance: number): Metres => [
    point[0] + normal[0] * distance,
    point[1] + normal[1] * distance,
  ];
  return [offset(start, near), offset(end, near), offset(end, far), offset(start, far)];
}

/** A point beside a random street, `minOffset`-`maxOffset` m off the kerb. */
export function roadsidePoint(grid: StreetGrid, random: Random, minOffset: number, maxOffset: number): Metres {
  const line = random.pick(random.chance(0.5) ? grid.eastWest : grid.northSouth);
  const crossing = perpendicularLines(grid, line);
  const first = (crossing[0] as StreetLine).position;
  const last = (crossing[crossing.length - 1] as StreetLine).position;
  const along = random.between(first, last);
  const side = random.chance(0.5) ? 1 : -1;
  const across = acrossOf(line.axis, pointOnLine(line, along)) + side * (line.widthM / 2 + random.between(minOffset, maxOffset));
  return metresInFrame(line.axis, along, across);
}

/** A point anywhere inside the outer ring road. */
export function pointInCity(grid: StreetGrid, random: Random): Metres {
  const west = (grid.northSouth[0] as StreetLine).position + 20;
  const east = (grid.northSouth[grid.northSouth.length - 1] as StreetLine).position - 20;
  const south = (grid.eastWest[0] as StreetLine).position + 20;
  const north = (grid.eastWest[grid.eastWest.length - 1] as StreetLine).position - 20;
  return [random.between(west, east), random.between(south, north)];
}
