/**
 * Trash hotspots (垃圾死角): dead corners, exposed garbage, construction waste and the "four
 * piles", just off the streets. Published: 295 hotspots cleared, about 35,000 m³ removed; the
 * volumes are drawn skewed (a few construction heaps dwarf the rest) and then scaled so that
 * they add up to that total.
 */
import { districtLocator } from './city-plan.ts';
import { chinaTimestamp, day, referenceTime, reportWindowDays } from './demo-clock.ts';
import { positionOf } from './projection.ts';
import { Random } from './random.ts';
import { roadsidePoint } from './roadside.ts';
import type { TrashHotspotRow } from './rows.ts';
import type { StreetGrid } from './street-grid.ts';

const hotspotsAtScale1 = 295;
const volumeAtScale1 = 35_000;

const medianVolume: Record<TrashHotspotRow['kind'], number> = {
  dead_corner: 60,
  exposed_garbage: 25,
  construction_waste: 300,
  four_piles: 150,
};

export function hotspotCount(scale: number): number {
  return Math.round(hotspotsAtScale1 * scale);
}

interface HotspotDraft {
  kind: TrashHotspotRow['kind'];
  rawVolume: number;
}

function hotspotDrafts(grid: StreetGrid): HotspotDraft[] {
  const random = Random.stream(grid.plan.seed, 'hotspot-volumes');
  return Array.from({ length: hotspotCount(grid.plan.scale) }, () => {
    const kind = random.weighted([
      ['dead_corner', 0.35],
      ['exposed_garbage', 0.3],
      ['construction_waste', 0.2],
      ['four_piles', 0.15],
    ] as const);
    // Log-normal around the kind's median, capped so that scaling cannot pass the 5,000 m³ limit.
    const rawVolume = Math.min(3000, medianVolume[kind] * Math.exp(0.9 * random.normal()));
    return { kind, rawVolume };
  });
}

export function* trashHotspotRows(grid: StreetGrid): Generator<TrashHotspotRow> {
  const drafts = hotspotDrafts(grid);
  const rawTotal = drafts.reduce((sum, draft) => sum + draft.rawVolume, 0);
  const volumeScale = (volumeAtScale1 * grid.plan.scale) / rawTotal;
  const districtAt = districtLocator(grid.plan);
  const random = Random.stream(grid.plan.seed, 'hotspots');
  for (const draft of drafts) {
    const point = roadsidePoint(grid, random, 3, 30);
    const status = random.weighted([
      ['cleared', 0.8],
      ['clearing', 0.07],
      ['assigned', 0.06],
      ['reported', 0.07],
    ] as const);
    // Open hotspots were found recently; cleared ones any time in the campaign.
    const ageDays = status === 'cleared' ? random.between(5, reportWindowDays) : random.between(0, 20);
    yield {
      kind: draft.kind,
      volume_m3: Math.max(0.5, Math.round(draft.rawVolume * volumeScale * 10) / 10),
      status,
      reported_at: chinaTimestamp(referenceTime - ageDays * day),
      district: districtAt(point),
      geometry: { type: 'Point', coordinates: positionOf(point) },
    };
  }
}
