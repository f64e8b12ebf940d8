/**
 * Restricted areas (禁设区域) where no vendor zone may be set: school gates and hospital
 * surroundings at the kerb, fire lanes into blocks, and the main carriageway of arterials.
 */
import { districtLocator } from './city-plan.ts';
import { alleyCount, alleySlotsByLikelihood, blockDepthAt, entranceAlong, type AlleySlot } from './alleys.ts';
import { streetStem } from './names.ts';
import { closedRing, type Metres } from './projection.ts';
import { Random } from './random.ts';
import { kerbsideRectangle, roadsideSlots, usableStretch, type RoadsideSlot } from './roadside.ts';
import type { RestrictedAreaRow } from './rows.ts';
import { acrossOf, metresInFrame, pointOnLine, roadPath, type Road, type StreetGrid } from './street-grid.ts';

const schoolGatesAtScale1 = 55;
const hospitalsAtScale1 = 15;
const fireLanesAtScale1 = 35;
const mainCarriagewaysAtScale1 = 60;

const hospitalNames = [
  '市第一人民医院', '市中心医院', '省立医院', '市中医医院', '千佛山医院', '齐鲁医院', '市妇幼保健院',
  '市儿童医院', '市第四人民医院', '省肿瘤医院', '市口腔医院', '市第五人民医院', '省眼科医院',
  '市第三人民医院', '市第六人民医院',
];

/** School gates and hospitals take the first kerbside slots; vendor zones take those after them. */
export function kerbsideRestrictedCount(scale: number): number {
  return Math.round(schoolGatesAtScale1 * scale) + Math.round(hospitalsAtScale1 * scale);
}

function kerbsideArea(grid: StreetGrid, slot: RoadsideSlot, random: Random, length: number, depth: number): Metres[] {
  const [from, to] = usableStretch(grid, slot);
  const centre = random.between(from + length / 2, Math.max(from + length / 2, to - length / 2));
  return kerbsideRectangle(slot.line, centre, length, slot.side, depth);
}

/** A 4-6 m wide strip from the kerb into the block, where an alley could otherwise have run. */
function fireLane(slot: AlleySlot, random: Random): Metres[] {
  const { axis } = slot.base;
  const along = entranceAlong(slot, random);
  const kerb = acrossOf(axis, pointOnLine(slot.base, along)) + slot.heading * (slot.base.widthM / 2);
  const width = random.between(4, 6);
  const length = random.between(60, Math.min(150, blockDepthAt(slot, along) - 60));
  const far = kerb + slot.heading * length;
  return [
    metresInFrame(axis, along - width / 2, kerb),
    metresInFrame(axis, along + width / 2, kerb),
    metresInFrame(axis, along + width / 2, far),
    metresInFrame(axis, along - width / 2, far),
  ];
}

/**
 * The carriageway as the road's centreline pushed out half its width on both sides, by the
 * normal at each vertex; the bends are gentle enough that the outline never folds over.
 */
function carriageway(path: readonly Metres[], halfWidth: number): Metres[] {
  const left: Metres[] = [];
  const right: Metres[] = [];
  path.forEach((point, i) => {
    const before = path[Math.max(0, i - 1)] as Metres;
    const after = path[Math.min(path.length - 1, i + 1)] as Metres;
    const length = Math.hypot(after[0] - before[0], after[1] - before[1]);
    const normal: Metres = [-(after[1] - before[1]) / length, (after[0] - before[0]) / length];
    left.push([point[0] + normal[0] * halfWidth, point[1] + normal[1] * halfWidth]);
    right.push([point[0] - normal[0] * halfWidth, point[1] - normal[1] * halfWidth]);
  });
  return [...left, ...right.reverse()];
}

export function* restrictedAreaRows(grid: StreetGrid): Generator<RestrictedAreaRow> {
  const { scale, seed } = grid.plan;
  const random = Random.stream(seed, 'restricted-areas');
  const districtAt = districtLocator(grid.plan);
  const row = (name: string, kind: RestrictedAreaRow['kind'], corners: Metres[]): RestrictedAreaRow => ({
    name,
    kind,
    district: districtAt(corners[0] as Metres),
    geometry: { type: 'Polygon', coordinates: [closedRing(corners)] },
  });

  const kerbside = roadsideSlots(grid);
  const schoolGates = Math.round(schoolGatesAtScale1 * scale);
  for (const slot of kerbside.slice(0, schoolGates)) {
    const school = random.pick(['小学', '中学', '实验小学', '第二小学', '幼儿园', '初级中学']);
    yield row(`${streetStem(slot.line.name)}${school}校门口`, 'school_gate', kerbsideArea(grid, slot, random, random.between(30, 50), random.between(15, 25)));
  }
  const hospitals = kerbside.slice(schoolGates, kerbsideRestrictedCount(scale));
  for (const [number, slot] of hospitals.entries()) {
    const name = hospitalNames[number] ?? `${streetStem(slot.line.name)}社区卫生服务中心`;
    yield row(`${name}周边`, 'hospital', kerbsideArea(grid, slot, random, random.between(100, 150), random.between(60, 100)));
  }

  const alleys = alleyCount(scale);
  const fireLaneSlots = alleySlotsByLikelihood(grid).slice(alleys, alleys + Math.round(fireLanesAtScale1 * scale));
  for (const slot of fireLaneSlots) {
    yield row(`${slot.base.name}消防通道`, 'fire_lane', fireLane(slot, random));
  }

  const arterials = grid.roads.filter((road) => road.line.roadClass === 'arterial');
  const strips = random.shuffled(arterials).slice(0, Math.round(mainCarriagewaysAtScale1 * scale));
  for (const road of strips.sort((a: Road, b: Road) => a.index - b.index)) {
    yield row(`${road.line.name}主车道`, 'main_carriageway', carriageway(roadPath(grid, road), road.line.widthM / 2));
  }
}
