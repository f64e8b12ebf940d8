/**
 * Vendor zones (便民疏导点): kerbside rectangles 10-60 m long on secondary and branch streets,
 * each with its opening hours. Published: 505 temporary vendor points (tidal stalls and
 * convenience food points) and 62 farmer stalls; shop outdoor displays and market streets come
 * on top of those.
 */
import { districtLocator } from './city-plan.ts';
import { closedRing, type Metres } from './projection.ts';
import { Random } from './random.ts';
import { kerbsideRestrictedCount } from './restricted-areas.ts';
import { kerbsideRectangle, roadsideSlots, usableStretch } from './roadside.ts';
import type { VendorZoneKind, VendorZoneRow } from './rows.ts';
import type { StreetGrid } from './street-grid.ts';

const temporaryVendorPointsAtScale1 = 505;
/** Of the temporary vendor points, the share that are evening tidal stalls; the rest are convenience food points. */
const tidalStallShare = 0.6;
const farmerStallsAtScale1 = 62;
/** Linyi's published 46 themed commercial streets. */
const marketStreetsAtScale1 = 46;
/** Not published: enough shop displays to show on the map beside the stalls. */
const outdoorDisplaysAtScale1 = 70;

interface ZoneStyle {
  title: string;
  length: [number, number];
  depth: [number, number];
  capacity: [number, number];
  /** Opening hours to choose from; tidal stalls (潮汐摊点) open only in the evening. */
  hours: [opens: string, closes: string][];
}

const zoneStyles: Record<VendorZoneKind, ZoneStyle> = {
  tidal_stall: {
    title: '潮汐摊点',
    length: [20, 60],
    depth: [3, 6],
    capacity: [6, 40],
    hours: [['17:00', '22:00'], ['17:30', '22:00'], ['18:00', '22:30'], ['16:30', '21:30']],
  },
  convenience_food: {
    title: '便民餐点',
    length: [10, 30],
    depth: [3, 6],
    capacity: [3, 20],
    hours: [['06:00', '09:30'], ['06:30', '10:00'], ['10:30', '20:00'], ['17:00', '21:00']],
  },
  outdoor_display: {
    title: '外摆区',
    length: [10, 25],
    depth: [2, 4],
    capacity: [1, 6],
    hours: [['09:00', '21:00'], ['10:00', '22:00']],
  },
  market_street: {
    title: '特色街区',
    length: [40, 60],
    depth: [5, 8],
    capacity: [20, 120],
    hours: [['09:00', '22:00'], ['10:00', '23:00'], ['08:00', '21:00']],
  },
  farmer_stall: {
    title: '便民助农益站',
    length: [10, 30],
    depth: [3, 6],
    capacity: [4, 20],
    hours: [['06:00', '12:00'], ['06:30', '11:30'], ['07:00', '13:00']],
  },
};

/** How many zones of each kind the city has at a scale; the temporary vendor points split exactly. */
function vendorZoneCounts(scale: number): Record<VendorZoneKind, number> {
  const temporaryVendorPoints = Math.round(temporaryVendorPointsAtScale1 * scale);
  const tidalStalls = Math.round(temporaryVendorPoints * tidalStallShare);
  return {
    tidal_stall: tidalStalls,
    convenience_food: temporaryVendorPoints - tidalStalls,
    farmer_stall: Math.round(farmerStallsAtScale1 * scale),
    outdoor_display: Math.round(outdoorDisplaysAtScale1 * scale),
    market_street: Math.round(marketStreetsAtScale1 * scale),
  };
}

export function vendorZoneCount(scale: number): number {
  return Object.values(vendorZoneCounts(scale)).reduce((sum, count) => sum + count, 0);
}

export function* vendorZoneRows(grid: StreetGrid): Generator<VendorZoneRow> {
  const kinds = Random.stream(grid.plan.seed, 'vendor-zone-kinds').shuffled(
    Object.entries(vendorZoneCounts(grid.plan.scale)).flatMap(([kind, count]) =>
      Array.from({ length: count }, () => kind as VendorZoneKind),
    ),
  );
  const slots = roadsideSlots(grid).slice(kerbsideRestrictedCount(grid.plan.scale));
  if (slots.length < kinds.length) {
    throw new RangeError(`scale ${grid.plan.scale} has kerb room for ${slots.length} vendor zones only`);
  }
  const random = Random.stream(grid.plan.seed, 'vendor-zones');
  const districtAt = districtLocator(grid.plan);
  const zonesPerStreet = new Map<string, number>();
  for (const [rank, slot] of slots.slice(0, kinds.length).entries()) {
    const kind = kinds[rank] as VendorZoneKind;
    const style = zoneStyles[kind];
    const length = random.between(...style.length);
    const [from, to] = usableStretch(grid, slot);
    const centre = random.between(from + length / 2, to - length / 2);
    const corners = kerbsideRectangle(slot.line, centre, length, slot.side, random.between(...style.depth));
    const key = `${slot.line.name}${style.title}`;
    const number = (zonesPerStreet.get(key) ?? 0) + 1;
    zonesPerStreet.set(key, number);
    const [opens, closes] = random.pick(style.hours);
    yield {
      name: `${key}${number}号`,
      kind,
      permit: random.weighted([
        ['active', 0.85],
        ['proposed', 0.07],
        ['suspended', 0.05],
        ['revoked', 0.03],
      ] as const),
      opens_at: opens,
      closes_at: closes,
      capacity: random.integer(...style.capacity),
      district: districtAt(corners[0] as Metres),
      geometry: { type: 'Polygon', coordinates: [closedRing(corners)] },
    };
  }
}
