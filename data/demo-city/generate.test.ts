import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCity, type DemoCity } from './generate.ts';
import type { Position } from './projection.ts';
import { layerTables, type LayerRows, type LayerTable } from './rows.ts';

/** Great-circle distance on a sphere: independent of the generator's ellipsoidal projection. */
function haversineMetres([lon1, lat1]: Position, [lon2, lat2]: Position): number {
  const radians = Math.PI / 180;
  const dLat = (lat2 - lat1) * radians;
  const dLon = (lon2 - lon1) * radians;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * radians) * Math.cos(lat2 * radians) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(a));
}

/**
 * Signed distance in metres from a point to a line string: positive on the left of its direction.
 * Measured in a local equirectangular plane around the point, independent of the generator's
 * ellipsoidal projection; good to a few centimetres over a few metres.
 */
function offsetFromLine(point: Position, line: Position[]): number {
  const radians = Math.PI / 180;
  const metresPerDegree = 6371008.8 * radians;
  const local = ([lon, lat]: Position): [number, number] => [
    (lon - point[0]) * metresPerDegree * Math.cos(point[1] * radians),
    (lat - point[1]) * metresPerDegree,
  ];
  let nearest = { distance: Infinity, signed: 0 };
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = local(line[i - 1] as Position);
    const [bx, by] = local(line[i] as Position);
    const [dx, dy] = [bx - ax, by - ay];
    const share = Math.max(0, Math.min(1, (-ax * dx - ay * dy) / (dx * dx + dy * dy)));
    const distance = Math.hypot(ax + share * dx, ay + share * dy);
    if (distance < nearest.distance) nearest = { distance, signed: Math.sign(dx * -ay - dy * -ax) * distance };
  }
  return nearest.signed;
}

function lineLength(coordinates: Position[]): number {
  let length = 0;
  for (let i = 1; i < coordinates.length; i++) length += haversineMetres(coordinates[i - 1] as Position, coordinates[i] as Position);
  return length;
}

function cityHash(city: DemoCity): string {
  const hash = createHash('sha256');
  for (const table of layerTables) {
    for (const row of city.layers[table]()) hash.update(JSON.stringify(row)).update('\n');
  }
  return hash.digest('hex');
}

function rowsOf<Table extends LayerTable>(city: DemoCity, table: Table): LayerRows[Table][] {
  return [...city.layers[table]()] as LayerRows[Table][];
}

describe('generateCity', () => {
  let city: DemoCity;
  let roads: LayerRows['roads'][];
  let lamps: LayerRows['streetlights'][];

  beforeAll(() => {
    city = generateCity();
    roads = rowsOf(city, 'roads');
    lamps = rowsOf(city, 'streetlights');
  });

  it('builds the identical city from the same seed, and another city from another seed', () => {
    const first = cityHash(city);
    expect(cityHash(generateCity({ seed: 20260630 }))).toBe(first);
    expect(cityHash(generateCity({ seed: 7 }))).not.toBe(first);
  });

  it('counts every layer without building it', () => {
    const counted = city.rowCounts();
    for (const table of layerTables) expect(counted[table], table).toBe([...city.layers[table]()].length);
  });

  it('has five districts with their Chinese names', () => {
    const districts = rowsOf(city, 'districts');
    expect(districts.map((district) => `${district.code} ${district.name}`).sort()).toEqual(
      ['huaiyin 槐荫区', 'licheng 历城区', 'lixia 历下区', 'shizhong 市中区', 'tianqiao 天桥区'],
    );
    for (const district of districts) {
      const ring = district.geometry.coordinates[0]?.[0] ?? [];
      expect(ring[0]).toEqual(ring[ring.length - 1]);
    }
  });

  it('centres the city near 117.00 E, 36.66 N', () => {
    const longitudes = lamps.map((lamp) => lamp.geometry.coordinates[0]);
    const latitudes = lamps.map((lamp) => lamp.geometry.coordinates[1]);
    const middle = (values: number[]) => (Math.min(...values) + Math.max(...values)) / 2;
    expect(middle(longitudes)).toBeCloseTo(117.0, 2);
    expect(middle(latitudes)).toBeCloseTo(36.66, 2);
  });

  it('cuts streets into roads of a few hundred metres to about 1.5 km', () => {
    for (const road of roads) {
      const length = lineLength(road.geometry.coordinates);
      expect(length).toBeGreaterThan(300);
      expect(length).toBeLessThan(1600);
    }
  });

  it('has 693 alleys narrower than 10 m, 80-450 m long, each leaving a road at a road vertex', () => {
    const alleys = rowsOf(city, 'alleys');
    expect(alleys).toHaveLength(693);
    const roadVertices = new Set(roads.flatMap((road) => road.geometry.coordinates.map((position) => position.join(' '))));
    for (const alley of alleys) {
      expect(alley.width_m).toBeGreaterThanOrEqual(2.5);
      expect(alley.width_m).toBeLessThanOrEqual(9.5);
      const length = lineLength(alley.geometry.coordinates);
      expect(length).toBeGreaterThanOrEqual(79);
      expect(length).toBeLessThanOrEqual(451);
      expect(roadVertices.has((alley.geometry.coordinates[0] as Position).join(' '))).toBe(true);
    }
  });

  it('has 44 renovated alleys and the rest still in the pipeline', () => {
    const stages = rowsOf(city, 'alleys').map((alley) => alley.renovation);
    expect(stages.filter((stage) => stage === 'completed' || stage === 'reinspected')).toHaveLength(44);
    for (const stage of ['surveyed', 'planned', 'in_progress'] as const) {
      expect(stages.filter((candidate) => candidate === stage).length).toBeGreaterThan(100);
    }
  });

  it('has 120 unlit roads: no lamp at all on 有路无灯, every lamp out on 有灯不亮', () => {
    const unlit = roads.filter((road) => road.lighting !== 'lit');
    expect(unlit).toHaveLength(120);
    const lampsOfRoad = new Map<number, LayerRows['streetlights'][]>();
    for (const lamp of lamps) lampsOfRoad.set(lamp.road_index, [...(lampsOfRoad.get(lamp.road_index) ?? []), lamp]);
    let noLamps = 0;
    for (const [index, road] of roads.entries()) {
      const own = lampsOfRoad.get(index) ?? [];
      if (road.lighting === 'no_lamps') {
        noLamps++;
        expect(own).toHaveLength(0);
      } else {
        expect(own.length).toBeGreaterThan(0);
      }
      if (road.lighting === 'lamps_out') expect(own.every((lamp) => lamp.status === 'out')).toBe(true);
    }
    expect(noLamps).toBeGreaterThan(0);
    expect(noLamps).toBeLessThan(120);
  });

  it('has roughly 25,000-35,000 lamps, a few percent of them out or under repair on lit roads', () => {
    expect(lamps.length).toBeGreaterThan(25_000);
    expect(lamps.length).toBeLessThan(35_000);
    const litRoads = new Set(roads.flatMap((road, index) => (road.lighting === 'lit' ? [index] : [])));
    const onLitRoads = lamps.filter((lamp) => litRoads.has(lamp.road_index));
    const faulty = onLitRoads.filter((lamp) => lamp.status !== 'working').length / onLitRoads.length;
    expect(faulty).toBeGreaterThan(0.01);
    expect(faulty).toBeLessThan(0.1);
  });

  it('spaces consecutive lamps of a road 25-40 m apart', () => {
    const spacings: number[] = [];
    for (let i = 1; i < lamps.length; i++) {
      const previous = lamps[i - 1] as LayerRows['streetlights'];
      const lamp = lamps[i] as LayerRows['streetlights'];
      if (previous.road_index === lamp.road_index) {
        spacings.push(haversineMetres(previous.geometry.coordinates, lamp.geometry.coordinates));
      }
    }
    expect(spacings.length).toBeGreaterThan(20_000);
    expect(Math.min(...spacings)).toBeGreaterThanOrEqual(25);
    expect(Math.max(...spacings)).toBeLessThanOrEqual(40);
  });

  it('stands every lamp 3-6 m off its road\'s centreline, all lamps of a road in one row on one side', () => {
    const sidesOfRoad = new Map<number, Set<number>>();
    for (const lamp of lamps) {
      const offset = offsetFromLine(lamp.geometry.coordinates, (roads[lamp.road_index] as LayerRows['roads']).geometry.coordinates);
      expect(Math.abs(offset), lamp.lamp_code).toBeGreaterThanOrEqual(2.95);
      expect(Math.abs(offset), lamp.lamp_code).toBeLessThanOrEqual(6.05);
      sidesOfRoad.set(lamp.road_index, (sidesOfRoad.get(lamp.road_index) ?? new Set()).add(Math.sign(offset)));
    }
    expect([...sidesOfRoad.values()].every((sides) => sides.size === 1)).toBe(true);
    const leftRoads = [...sidesOfRoad.values()].filter((sides) => sides.has(1)).length;
    expect(leftRoads / sidesOfRoad.size).toBeGreaterThan(0.3);
    expect(leftRoads / sidesOfRoad.size).toBeLessThan(0.7);
  });

  it('has 295 trash hotspots holding about 35,000 m³, most of them cleared', () => {
    const hotspots = rowsOf(city, 'trash_hotspots');
    expect(hotspots).toHaveLength(295);
    const volume = hotspots.reduce((sum, hotspot) => sum + hotspot.volume_m3, 0);
    expect(Math.abs(volume - 35_000) / 35_000).toBeLessThan(0.02);
    expect(hotspots.every((hotspot) => hotspot.volume_m3 > 0 && hotspot.volume_m3 <= 5000)).toBe(true);
    expect(hotspots.filter((hotspot) => hotspot.status === 'cleared').length).toBeGreaterThan(295 / 2);
  });

  it('has 505 temporary vendor points (tidal stalls and convenience food points) and 62 farmer stalls, with shop displays and market streets besides', () => {
    const zones = rowsOf(city, 'vendor_zones');
    const ofKind = (kind: LayerRows['vendor_zones']['kind']) => zones.filter((zone) => zone.kind === kind).length;
    expect(ofKind('tidal_stall') + ofKind('convenience_food')).toBe(505);
    expect(ofKind('farmer_stall')).toBe(62);
    expect(ofKind('tidal_stall')).toBeGreaterThan(100);
    expect(ofKind('convenience_food')).toBeGreaterThan(100);
    expect(ofKind('outdoor_display')).toBeGreaterThan(0);
    expect(ofKind('market_street')).toBeGreaterThan(0);
    expect(zones).toHaveLength(505 + 62 + ofKind('outdoor_display') + ofKind('market_street'));
    for (const zone of zones) {
      const [a, b, c] = zone.geometry.coordinates[0] as Position[];
      const sides = [haversineMetres(a as Position, b as Position), haversineMetres(b as Position, c as Position)];
      // The sphere of haversineMetres and the generator's ellipsoid differ by up to about 0.3% here.
      expect(Math.max(...sides)).toBeGreaterThanOrEqual(10 * 0.995);
      expect(Math.max(...sides)).toBeLessThanOrEqual(60 * 1.005);
      if (zone.kind === 'tidal_stall') {
        expect(zone.opens_at >= '16:00').toBe(true);
        expect(zone.closes_at > zone.opens_at).toBe(true);
      }
    }
  });

  it('has 100-200 restricted areas of every kind', () => {
    const areas = rowsOf(city, 'restricted_areas');
    expect(areas.length).toBeGreaterThanOrEqual(100);
    expect(areas.length).toBeLessThanOrEqual(200);
    expect(new Set(areas.map((area) => area.kind))).toEqual(new Set(['school_gate', 'fire_lane', 'main_carriageway', 'hospital']));
  });

  it('has about 2,000 cases reported in the 180 days before 2026-11-01, each due after its report', () => {
    const cases = rowsOf(city, 'cases');
    expect(cases).toHaveLength(2000);
    const end = Date.parse('2026-11-01T00:00:00+08:00');
    const start = end - 180 * 86_400_000;
    const cellCodes = new Set(rowsOf(city, 'grid_cells').map((cell) => cell.code));
    for (const item of cases) {
      const reportedAt = Date.parse(item.reported_at);
      expect(reportedAt).toBeGreaterThanOrEqual(start);
      expect(reportedAt).toBeLessThan(end);
      expect(Date.parse(item.due_at)).toBeGreaterThan(reportedAt);
      expect(cellCodes.has(item.grid_code)).toBe(true);
    }
    expect(new Set(cases.map((item) => item.status)).size).toBe(6);
    expect(new Set(cases.map((item) => item.case_no)).size).toBe(cases.length);
  });

  it('grows with the scale factor by extending the city', () => {
    const quarter = generateCity({ scale: 0.25 });
    const counts = quarter.rowCounts();
    const full = city.rowCounts();
    expect(counts.alleys).toBe(Math.round(693 / 4));
    const zones = [...quarter.layers.vendor_zones()];
    expect(zones.filter((zone) => zone.kind === 'tidal_stall' || zone.kind === 'convenience_food')).toHaveLength(Math.round(505 / 4));
    expect(zones.filter((zone) => zone.kind === 'farmer_stall')).toHaveLength(Math.round(62 / 4));
    expect(counts.streetlights / full.streetlights).toBeGreaterThan(0.2);
    expect(counts.streetlights / full.streetlights).toBeLessThan(0.3);
    expect(quarter.size.width).toBeLessThan(city.size.width);
  });
});
