import { describe, expect, it } from 'vitest';
import { clusterScale } from './layer-style.ts';

describe('clusterScale', () => {
  it('leaves single points alone and grows clusters with their count, to at most three times', () => {
    expect(clusterScale({})).toBe(1);
    expect(clusterScale({ point_count: 1 })).toBe(1);
    expect(clusterScale({ point_count: 8 })).toBeCloseTo(2);
    expect(clusterScale({ point_count: 4 })).toBeLessThan(clusterScale({ point_count: 16 }));
    expect(clusterScale({ point_count: 100_000 })).toBe(3);
  });
});
