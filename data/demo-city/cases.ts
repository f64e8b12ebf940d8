/**
 * Cases of digital urban management: hotline tickets, photo reports, camera detections and
 * patrol finds, each with its stage in report -> file -> dispatch -> handle -> verify -> close,
 * a deadline by category, and the grid cell it is dispatched to.
 */
import { cellOf, cellSize, districtCellRanges, gridCellCode, type CityPlan } from './city-plan.ts';
import { chinaDateDigits, chinaTimestamp, day, hoursAfter, referenceTime, reportWindowDays } from './demo-clock.ts';
import { lengthOf, pointAlong, positionOf, type Metres } from './projection.ts';
import { Random } from './random.ts';
import { pointInCity, roadsidePoint } from './roadside.ts';
import type { CaseRow } from './rows.ts';
import { roadPath, type StreetGrid } from './street-grid.ts';

const casesAtScale1 = 2000;

/** Hours allowed from report to close, by category (how urgent the bureau treats each). */
const deadlineHours: Record<CaseRow['category'], number> = {
  illegal_parking: 2,
  street_vending: 4,
  overflowing_bin: 12,
  exposed_garbage: 24,
  damaged_manhole: 24,
  unlit_road: 72,
};

const openStages: readonly (readonly [CaseRow['status'], number])[] = [
  ['reported', 0.1],
  ['filed', 0.15],
  ['dispatched', 0.25],
  ['handling', 0.3],
  ['verifying', 0.2],
];

export function caseCount(scale: number): number {
  return Math.round(casesAtScale1 * scale);
}

/**
 * Moves a point at least 1 m inside its grid cell: the generator assigns the cell by
 * arithmetic, the database by polygon, and the two must agree even after rounding to 1 cm.
 */
function awayFromCellEdges(plan: CityPlan, [x, y]: Metres): Metres {
  const inside = (value: number, origin: number) => {
    const offset = (((value - origin) % cellSize) + cellSize) % cellSize;
    if (offset < 1) return value + (1 - offset);
    if (offset > cellSize - 1) return value - (offset - (cellSize - 1));
    return value;
  };
  return [inside(x, plan.west), inside(y, plan.south)];
}

function stageOf(random: Random, reportedAt: number, dueAt: number): CaseRow['status'] {
  // Nearly every case past its deadline (plus a day's slack) is closed; the rest are in flight.
  if (referenceTime > dueAt + day) return random.chance(0.99) ? 'closed' : random.weighted(openStages);
  const progress = (referenceTime - reportedAt) / (dueAt + day - reportedAt);
  return random.chance(progress * 0.8) ? 'closed' : random.weighted(openStages);
}

export function* caseRows(grid: StreetGrid): Generator<CaseRow> {
  const { plan } = grid;
  const random = Random.stream(plan.seed, 'cases');
  const ranges = districtCellRanges(plan);
  const unlitRoads = grid.roads.filter((road) => road.lighting !== 'lit');
  for (let number = 1; number <= caseCount(plan.scale); number++) {
    const category = random.weighted([
      ['exposed_garbage', 0.25],
      ['street_vending', 0.2],
      ['illegal_parking', 0.2],
      ['overflowing_bin', 0.15],
      ['damaged_manhole', 0.1],
      ['unlit_road', 0.1],
    ] as const);
    let point: Metres;
    if (category === 'unlit_road' && unlitRoads.length > 0 && random.chance(0.7)) {
      const path = roadPath(grid, random.pick(unlitRoads));
      point = pointAlong(path, random.between(0, lengthOf(path)));
    } else {
      point = random.chance(0.75) ? roadsidePoint(grid, random, 0, 20) : pointInCity(grid, random);
    }
    point = awayFromCellEdges(plan, point);
    const reportedAt = referenceTime - random.between(0, reportWindowDays) * day;
    const dueAt = hoursAfter(reportedAt, deadlineHours[category]);
    const { column, row } = cellOf(plan, point);
    yield {
      case_no: `AJ${chinaDateDigits(reportedAt)}${String(number).padStart(7, '0')}`,
      source: random.weighted([
        ['camera', 0.4],
        ['hotline', 0.3],
        ['photo', 0.15],
        ['patrol', 0.15],
      ] as const),
      category,
      status: stageOf(random, reportedAt, dueAt),
      reported_at: chinaTimestamp(reportedAt),
      due_at: chinaTimestamp(dueAt),
      grid_code: gridCellCode(plan, ranges, column, row),
      geometry: { type: 'Point', coordinates: positionOf(point) },
    };
  }
}
