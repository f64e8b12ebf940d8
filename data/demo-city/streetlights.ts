/**
 * Street lamps every 27-38 m along each road, in one row 3-6 m off its centreline (the median of
 * an arterial, beside the carriageway of a smaller street), within the 25-40 m spacing of the
 * lighting design code even where a road bends. A few percent of lamps on lit roads are out or
 * under repair; roads marked 有灯不亮 have every lamp out and roads marked 有路无灯 have none.
 */
import { districtNames } from './city-plan.ts';
import { distanceBetween, lengthOf, pointAlong, positionOf, type Metres } from './projection.ts';
import { Random } from './random.ts';
import type { RoadClass, StreetlightRow } from './rows.ts';
import { roadPath, type Road, type StreetGrid } from './street-grid.ts';

const lampPower: Record<RoadClass, number[]> = {
  arterial: [250, 250, 400],
  secondary: [150, 250],
  branch: [100, 150],
};

/** Distances along the road at which its lamps stand; empty for a road without lamps. */
export function lampStations(grid: StreetGrid, road: Road, roadLength: number): number[] {
  if (road.lighting === 'no_lamps') return [];
  const random = Random.stream(grid.plan.seed, 'lamp-spacing', road.index);
  const stations: number[] = [];
  for (let distance = random.between(10, 20); distance <= roadLength - 10; distance += random.between(27, 38)) {
    stations.push(distance);
  }
  return stations;
}

function lampStatus(road: Road, random: Random): StreetlightRow['status'] {
  if (road.lighting === 'lamps_out') return 'out';
  return random.weighted([
    ['working', 0.955],
    ['out', 0.03],
    ['repairing', 0.015],
  ] as const);
}

/** The point `offset` m to the left of a path (to the right when negative) at `distance` along it. */
function besidePath(path: readonly Metres[], distance: number, offset: number): Metres {
  const before = pointAlong(path, distance - 1);
  const after = pointAlong(path, distance + 1);
  const step = distanceBetween(before, after);
  const at = pointAlong(path, distance);
  return [at[0] - ((after[1] - before[1]) / step) * offset, at[1] + ((after[0] - before[0]) / step) * offset];
}

export function lampCount(grid: StreetGrid): number {
  let count = 0;
  for (const road of grid.roads) count += lampStations(grid, road, lengthOf(roadPath(grid, road))).length;
  return count;
}

export function* streetlightRows(grid: StreetGrid): Generator<StreetlightRow> {
  for (const road of grid.roads) {
    const path = roadPath(grid, road);
    const stations = lampStations(grid, road, lengthOf(path));
    const random = Random.stream(grid.plan.seed, 'lamp-status', road.index);
    const power = random.pick(lampPower[road.line.roadClass]);
    const prefix = `LD${districtNames[road.district].adminCode}-${String(road.index).padStart(6, '0')}`;
    // A stream of its own: where a lamp stands beside the road leaves its spacing and status draws alone.
    const placement = Random.stream(grid.plan.seed, 'lamp-offset', road.index);
    // Within the carriageway's half width, so no lamp stands in a kerbside vendor zone.
    const offset = placement.between(3, Math.min(6, road.line.widthM / 2)) * (placement.chance(0.5) ? 1 : -1);
    for (const [number, station] of stations.entries()) {
      yield {
        lamp_code: `${prefix}-${String(number + 1).padStart(3, '0')}`,
        status: lampStatus(road, random),
        power_w: power,
        road_index: road.index,
        geometry: { type: 'Point', coordinates: positionOf(besidePath(path, station, offset)) },
      };
    }
  }
}
