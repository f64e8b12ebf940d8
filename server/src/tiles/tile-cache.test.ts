import { describe, expect, it } from 'vitest';
import { tileContaining } from '../../test/tile-math.ts';
import { prepareTile, TileCache, tilesCovering } from './tile-cache.ts';

const tileOf = (bytes: number) => prepareTile(Buffer.alloc(bytes, 7));

describe('TileCache', () => {
  it('stays within its byte budget, evicting the least recently used tile', async () => {
    const tile = await tileOf(1000);
    const cache = new TileCache(3 * (1000 + (tile.gzipped?.length ?? 0) + 200));
    cache.set('roads', { z: 14, x: 1, y: 1 }, tile);
    cache.set('roads', { z: 14, x: 2, y: 1 }, tile);
    cache.set('roads', { z: 14, x: 3, y: 1 }, tile);
    expect(cache.get('roads', { z: 14, x: 1, y: 1 })).toBe(tile); // now the most recent
    cache.set('roads', { z: 14, x: 4, y: 1 }, tile);
    expect(cache.size).toBe(3);
    expect(cache.usedBytes).toBeLessThanOrEqual(cache.maxBytes);
    expect(cache.get('roads', { z: 14, x: 2, y: 1 })).toBeUndefined();
    expect(cache.get('roads', { z: 14, x: 1, y: 1 })).toBe(tile);
  });

  it('invalidates only the tiles of the layer that cover the edited boxes, at every zoom', async () => {
    const tile = await tileOf(10);
    const cache = new TileCache(10 * 2 ** 20);
    const edited: [number, number, number, number] = [117.0001, 36.6601, 117.0002, 36.6602];
    const farAway: [number, number] = [117.6, 37.2]; // another tile even at z10 (~0.35° wide)
    for (const zoom of [10, 14, 18]) {
      cache.set('streetlights', tileContaining(117.00015, 36.66015, zoom), tile);
      cache.set('streetlights', tileContaining(...farAway, zoom), tile);
      cache.set('roads', tileContaining(117.00015, 36.66015, zoom), tile);
    }
    expect(cache.invalidate('streetlights', [edited])).toBe(3);
    for (const zoom of [10, 14, 18]) {
      expect(cache.get('streetlights', tileContaining(117.00015, 36.66015, zoom))).toBeUndefined();
      expect(cache.get('streetlights', tileContaining(...farAway, zoom))).toBe(tile);
      expect(cache.get('roads', tileContaining(117.00015, 36.66015, zoom))).toBe(tile);
    }
  });

  it('refuses a tile whose query began before its layer was invalidated, and keeps one that began after', async () => {
    const tile = await tileOf(10);
    const cache = new TileCache(10 * 2 ** 20);
    const address = tileContaining(117.00015, 36.66015, 14);
    const farAway: [number, number, number, number] = [117.6, 37.2, 117.61, 37.21];

    const before = cache.generationOf('streetlights');
    const otherLayerBefore = cache.generationOf('roads');
    // Even a write nowhere near the tile: the generation is the layer's, not the tile's.
    cache.invalidate('streetlights', [farAway]);
    cache.set('streetlights', address, tile, before);
    expect(cache.get('streetlights', address)).toBeUndefined();
    // Another layer's change leaves this layer's encodes alone.
    cache.set('roads', address, tile, otherLayerBefore);
    expect(cache.get('roads', address)).toBe(tile);

    const after = cache.generationOf('streetlights');
    cache.set('streetlights', address, tile, after);
    expect(cache.get('streetlights', address)).toBe(tile);

    // A clear (the change listener reconnected) moves every layer's generation.
    const roadsBeforeClear = cache.generationOf('roads');
    cache.clear();
    cache.set('roads', address, tile, roadsBeforeClear);
    expect(cache.get('roads', address)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('counts a neighbour tile whose buffer reaches a box on the shared edge', () => {
    // The western edge of tile x at z14 is at longitude x / 2^14 * 360 - 180.
    const x = 13500;
    const edgeLongitude = (x / 2 ** 14) * 360 - 180;
    const range = tilesCovering([edgeLongitude + 1e-7, 36.66, edgeLongitude + 2e-7, 36.66001], 14);
    expect(range.minX).toBe(x - 1);
    expect(range.maxX).toBe(x);
  });
});
