import type { VectorTileFeature } from '@mapbox/vector-tile';

type Point = { x: number; y: number };

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function distanceToParts(p: Point, parts: Point[][]): number {
  let nearest = Infinity;
  for (const part of parts) {
    if (part.length === 1) nearest = Math.min(nearest, Math.hypot(p.x - part[0]!.x, p.y - part[0]!.y));
    for (let i = 1; i < part.length; i++) nearest = Math.min(nearest, distanceToSegment(p, part[i - 1]!, part[i]!));
  }
  return nearest;
}

/**
 * Hausdorff distance (in tile units) between two decoded geometries, vertices against segments:
 * encoders may drop collinear or repeated vertices, which this does not count as a difference.
 */
export function tileGeometryDistance(a: Point[][], b: Point[][]): number {
  let farthest = 0;
  for (const part of a) for (const p of part) farthest = Math.max(farthest, distanceToParts(p, b));
  for (const part of b) for (const p of part) farthest = Math.max(farthest, distanceToParts(p, a));
  return farthest;
}

/** Twice the signed area of each ring: the sign tells exterior rings from holes in MVT. */
export function ringOrientations(feature: VectorTileFeature): number[] {
  return feature.loadGeometry().map((ring) => {
    let sum = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += (ring[j]!.x - ring[i]!.x) * (ring[i]!.y + ring[j]!.y);
    return Math.sign(sum);
  });
}
