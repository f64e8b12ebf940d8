import { describe, expect, it } from 'vitest';
import { measureGeometry } from './geometry-checks.ts';

describe('measureGeometry', () => {
  it('measures a square of 0.001° at the city centre: about 89.3 m by 111.3 m', () => {
    // Worked out by hand on the WGS 84 sphere turf uses (R = 6,378,137 m):
    // width = R·0.001·π/180·cos(36.66°) ≈ 89.29 m, height = R·0.001·π/180 ≈ 111.32 m.
    const square = { type: 'Polygon' as const, coordinates: [[[117, 36.66], [117.001, 36.66], [117.001, 36.661], [117, 36.661], [117, 36.66]]] };
    const measures = measureGeometry(square);
    expect(measures.selfIntersects).toBe(false);
    expect(measures.areaSquareMetres).toBeGreaterThan(89.29 * 111.32 * 0.99);
    expect(measures.areaSquareMetres).toBeLessThan(89.29 * 111.32 * 1.01);
    expect(measures.lengthMetres).toBeUndefined();
  });

  it('finds the crossing of a bow-tie polygon', () => {
    const bowTie = { type: 'Polygon' as const, coordinates: [[[117.001, 36.661], [117.002, 36.662], [117.002, 36.661], [117.001, 36.662], [117.001, 36.661]]] };
    expect(measureGeometry(bowTie).selfIntersects).toBe(true);
  });

  it('measures a line of 0.001° along a meridian as about 111.2 m (haversine, R = 6,371,008.8 m)', () => {
    const line = { type: 'LineString' as const, coordinates: [[117, 36.66], [117, 36.661]] };
    const measures = measureGeometry(line);
    expect(measures.lengthMetres).toBeCloseTo(111.19, 1);
    expect(measures.selfIntersects).toBe(false);
  });

  it('finds a line that crosses itself', () => {
    const zigzag = { type: 'LineString' as const, coordinates: [[117, 36.66], [117.001, 36.661], [117.001, 36.66], [117, 36.661]] };
    expect(measureGeometry(zigzag).selfIntersects).toBe(true);
  });

  it('has nothing to measure on a point', () => {
    expect(measureGeometry({ type: 'Point', coordinates: [117, 36.66] })).toEqual({ selfIntersects: false });
  });
});
