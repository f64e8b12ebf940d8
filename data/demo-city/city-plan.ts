/**
 * The city's outline in local metres: its extent, the five districts and the 500 m grid cells
 * (网格) of grid management. District borders run along cell edges, so every cell lies in
 * exactly one district and the cells tile the districts exactly.
 */
import { closedRing, type Metres } from './projection.ts';
import type { DistrictCode, DistrictRow, GridCellRow } from './rows.ts';

/** Metres between parallel streets; every 4th line is an arterial, so arterials are 1.5 km apart. */
export const streetSpacing = 375;
export const cellSize = 500;
/** From the city edge to the outer ring road, so lamps and alleys stay inside the districts. */
export const edgeMargin = 250;

/** Street intervals (blocks) across and up the city at scale 1: 15.5 km x 12.5 km. */
const blocksAcrossAtScale1 = 40;
const blocksUpAtScale1 = 32;

export interface CityPlan {
  seed: number;
  scale: number;
  /** Street lines are numbered 0..blocksAcross (north-south) and 0..blocksUp (east-west). */
  blocksAcross: number;
  blocksUp: number;
  west: number;
  south: number;
  width: number;
  height: number;
  columns: number;
  rows: number;
}

/** Block counts are kept multiples of 4 so that the outermost lines are arterials (a ring road). */
function blocksFor(blocksAtScale1: number, scale: number): number {
  return 4 * Math.max(1, Math.round((blocksAtScale1 / 4) * Math.sqrt(scale)));
}

export function cityPlanFor(seed: number, scale: number): CityPlan {
  if (!(scale > 0)) throw new RangeError(`scale must be positive, got ${scale}`);
  const blocksAcross = blocksFor(blocksAcrossAtScale1, scale);
  const blocksUp = blocksFor(blocksUpAtScale1, scale);
  const width = blocksAcross * streetSpacing + 2 * edgeMargin;
  const height = blocksUp * streetSpacing + 2 * edgeMargin;
  return {
    seed,
    scale,
    blocksAcross,
    blocksUp,
    west: -width / 2,
    south: -height / 2,
    width,
    height,
    columns: width / cellSize,
    rows: height / cellSize,
  };
}

export const districtNames: Record<DistrictCode, { name: string; nameEn: string; adminCode: string }> = {
  lixia: { name: '历下区', nameEn: 'Lixia', adminCode: '370102' },
  shizhong: { name: '市中区', nameEn: 'Shizhong', adminCode: '370103' },
  huaiyin: { name: '槐荫区', nameEn: 'Huaiyin', adminCode: '370104' },
  tianqiao: { name: '天桥区', nameEn: 'Tianqiao', adminCode: '370105' },
  licheng: { name: '历城区', nameEn: 'Licheng', adminCode: '370112' },
};

interface CellRange {
  fromColumn: number;
  toColumn: number;
  fromRow: number;
  toRow: number;
}

/**
 * The districts as rectangles of cells, arranged roughly as in Jinan: Tianqiao north, Huaiyin
 * west, Lixia in the centre, Shizhong south of it and Licheng the large east.
 */
export function districtCellRanges(plan: CityPlan): Record<DistrictCode, CellRange> {
  const westBorder = Math.max(1, Math.round(plan.columns / 3));
  const eastBorder = Math.max(westBorder + 1, Math.round((plan.columns * 2) / 3));
  const southBorder = Math.max(1, Math.round(plan.rows * 0.4));
  const northBorder = Math.max(southBorder + 1, Math.round(plan.rows * 0.7));
  return {
    tianqiao: { fromColumn: 0, toColumn: eastBorder, fromRow: northBorder, toRow: plan.rows },
    huaiyin: { fromColumn: 0, toColumn: westBorder, fromRow: 0, toRow: northBorder },
    lixia: { fromColumn: westBorder, toColumn: eastBorder, fromRow: southBorder, toRow: northBorder },
    shizhong: { fromColumn: westBorder, toColumn: eastBorder, fromRow: 0, toRow: southBorder },
    licheng: { fromColumn: eastBorder, toColumn: plan.columns, fromRow: 0, toRow: plan.rows },
  };
}

export function districtOfCell(ranges: Record<DistrictCode, CellRange>, column: number, row: number): DistrictCode {
  for (const [code, range] of Object.entries(ranges) as [DistrictCode, CellRange][]) {
    if (column >= range.fromColumn && column < range.toColumn && row >= range.fromRow && row < range.toRow) {
      return code;
    }
  }
  throw new Error(`cell ${column},${row} is outside the city`);
}

export function cellOf(plan: CityPlan, [x, y]: Metres): { column: number; row: number } {
  const column = Math.min(plan.columns - 1, Math.max(0, Math.floor((x - plan.west) / cellSize)));
  const row = Math.min(plan.rows - 1, Math.max(0, Math.floor((y - plan.south) / cellSize)));
  return { column, row };
}

/** Looks up the district of a point; build once per layer, it is called for every row. */
export function districtLocator(plan: CityPlan): (point: Metres) => DistrictCode {
  const ranges = districtCellRanges(plan);
  return (point) => {
    const { column, row } = cellOf(plan, point);
    return districtOfCell(ranges, column, row);
  };
}

function cellCorner(plan: CityPlan, column: number, row: number): Metres {
  return [plan.west + column * cellSize, plan.south + row * cellSize];
}

/**
 * A district's outline through every cell corner on its border: in lon/lat a constant-x line is
 * not quite straight, and sharing the cells' vertices keeps the cells exactly inside.
 */
function districtOutline(plan: CityPlan, range: CellRange): Metres[] {
  const corners: Metres[] = [];
  for (let column = range.fromColumn; column < range.toColumn; column++) corners.push(cellCorner(plan, column, range.fromRow));
  for (let row = range.fromRow; row < range.toRow; row++) corners.push(cellCorner(plan, range.toColumn, row));
  for (let column = range.toColumn; column > range.fromColumn; column--) corners.push(cellCorner(plan, column, range.toRow));
  for (let row = range.toRow; row > range.fromRow; row--) corners.push(cellCorner(plan, range.fromColumn, row));
  return corners;
}

export function* districtRows(plan: CityPlan): Generator<DistrictRow> {
  const ranges = districtCellRanges(plan);
  for (const [code, range] of Object.entries(ranges) as [DistrictCode, CellRange][]) {
    const names = districtNames[code];
    yield {
      code,
      name: names.name,
      name_en: names.nameEn,
      geometry: { type: 'MultiPolygon', coordinates: [[closedRing(districtOutline(plan, range))]] },
    };
  }
}

/** Cell codes follow the district's administrative code, then row and column: 370102012015. */
export function gridCellCode(plan: CityPlan, ranges: Record<DistrictCode, CellRange>, column: number, row: number): string {
  const district = districtOfCell(ranges, column, row);
  return `${districtNames[district].adminCode}${String(row).padStart(3, '0')}${String(column).padStart(3, '0')}`;
}

export function* gridCellRows(plan: CityPlan): Generator<GridCellRow> {
  const ranges = districtCellRanges(plan);
  const cellsSoFar: Record<DistrictCode, number> = { lixia: 0, shizhong: 0, huaiyin: 0, tianqiao: 0, licheng: 0 };
  for (let row = 0; row < plan.rows; row++) {
    for (let column = 0; column < plan.columns; column++) {
      const district = districtOfCell(ranges, column, row);
      const ordinal = ++cellsSoFar[district];
      yield {
        code: gridCellCode(plan, ranges, column, row),
        district,
        responsible_unit: `${districtNames[district].name}城管执法中队第${ordinal}网格`,
        geometry: {
          type: 'Polygon',
          coordinates: [
            closedRing([
              cellCorner(plan, column, row),
              cellCorner(plan, column + 1, row),
              cellCorner(plan, column + 1, row + 1),
              cellCorner(plan, column, row + 1),
            ]),
          ],
        },
      };
    }
  }
}
