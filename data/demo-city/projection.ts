/**
 * The city is laid out in local metres (x east, y north of the centre) and stored as WGS 84
 * lon/lat. The conversion uses the ellipsoid's degree lengths at each point's own latitude, so
 * that distances PostGIS measures on geography match the metres the generator laid out, even
 * at --scale 100 where the city spans about a degree of latitude.
 */

export const cityCentre = { lon: 117.0, lat: 36.66 } as const;

/** Local metres east and north of the city centre. */
export type Metres = readonly [x: number, y: number];

/** WGS 84 longitude, latitude in degrees. */
export type Position = [lon: number, lat: number];

const radiansPerDegree = Math.PI / 180;

function metresPerDegreeOfLatitude(latitude: number): number {
  const phi = latitude * radiansPerDegree;
  return 111132.954 - 559.822 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi);
}

function metresPerDegreeOfLongitude(latitude: number): number {
  const phi = latitude * radiansPerDegree;
  return 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi) + 0.118 * Math.cos(5 * phi);
}

const metresPerDegreeAtCentre = metresPerDegreeOfLatitude(cityCentre.lat);

/** 7 decimals of a degree is about 1 cm: finer digits only bloat WKT and hashes. */
function roundedDegrees(value: number): number {
  return Math.round(value * 1e7) / 1e7;
}

export function positionOf([x, y]: Metres): Position {
  const latitude = cityCentre.lat + y / metresPerDegreeAtCentre;
  const longitude = cityCentre.lon + x / metresPerDegreeOfLongitude(latitude);
  return [roundedDegrees(longitude), roundedDegrees(latitude)];
}

export function distanceBetween(a: Metres, b: Metres): number {
  return Math.hypot(b[0] - a[0], b[1] - a[1]);
}

export function lengthOf(path: readonly Metres[]): number {
  let length = 0;
  for (let i = 1; i < path.length; i++) length += distanceBetween(path[i - 1] as Metres, path[i] as Metres);
  return length;
}

/** The point `distance` metres along a path (clamped to its ends). */
export function pointAlong(path: readonly Metres[], distance: number): Metres {
  let remaining = distance;
  for (let i = 1; i < path.length; i++) {
    const from = path[i - 1] as Metres;
    const to = path[i] as Metres;
    const step = distanceBetween(from, to);
    if (remaining <= step && step > 0) {
      const share = remaining / step;
      return [from[0] + (to[0] - from[0]) * share, from[1] + (to[1] - from[1]) * share];
    }
    remaining -= step;
  }
  const last = path[path.length - 1];
  if (!last) throw new Error('pointAlong on an empty path');
  return last;
}

/** A ring as a closed list of positions (first = last), as GeoJSON and WKT want it. */
export function closedRing(corners: readonly Metres[]): Position[] {
  const ring = corners.map(positionOf);
  const first = ring[0];
  if (!first) throw new Error('empty ring');
  ring.push([first[0], first[1]]);
  return ring;
}

export function roundedMetres(value: number): number {
  return Math.round(value * 10) / 10;
}
