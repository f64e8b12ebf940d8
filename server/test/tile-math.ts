import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

/** The slippy-map tile holding a WGS84 point, worked out from the Web Mercator formulas. */
export function tileContaining(longitude: number, latitude: number, zoom: number): { z: number; x: number; y: number } {
  const tilesPerSide = 2 ** zoom;
  const x = Math.floor(((longitude + 180) / 360) * tilesPerSide);
  const latitudeRadians = (latitude * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(latitudeRadians) + 1 / Math.cos(latitudeRadians)) / Math.PI) / 2) * tilesPerSide);
  return { z: zoom, x, y };
}

export function decodeTile(bytes: Uint8Array): VectorTile {
  return new VectorTile(new PbfReader(bytes));
}
