/**
 * The rows the generator yields, one type per layer table. Property names are the table's
 * column names (migrations/0001_layers.sql); geometry is GeoJSON-like, WGS 84 lon/lat.
 */
import type { districtCodes } from '../../server/src/registry/layers.ts';
import type { Position } from './projection.ts';

export type DistrictCode = (typeof districtCodes)[number];
export type RoadClass = 'arterial' | 'secondary' | 'branch';
export type Lighting = 'lit' | 'no_lamps' | 'lamps_out';

export interface PointGeometry {
  type: 'Point';
  coordinates: Position;
}
export interface LineStringGeometry {
  type: 'LineString';
  coordinates: Position[];
}
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}

export interface DistrictRow {
  code: DistrictCode;
  name: string;
  name_en: string;
  geometry: MultiPolygonGeometry;
}

export interface GridCellRow {
  code: string;
  district: DistrictCode;
  responsible_unit: string;
  geometry: PolygonGeometry;
}

export interface RoadRow {
  name: string;
  road_class: RoadClass;
  width_m: number;
  length_m: number;
  lighting: Lighting;
  district: DistrictCode;
  geometry: LineStringGeometry;
}

export interface AlleyRow {
  name: string;
  width_m: number;
  length_m: number;
  renovation: 'surveyed' | 'planned' | 'in_progress' | 'completed' | 'reinspected';
  problems: string;
  district: DistrictCode;
  geometry: LineStringGeometry;
}

export interface StreetlightRow {
  lamp_code: string;
  status: 'working' | 'out' | 'repairing';
  power_w: number;
  /** Position of the lamp's road in the roads() sequence (0-based); the loader turns it into roads.id. */
  road_index: number;
  geometry: PointGeometry;
}

export interface TrashHotspotRow {
  kind: 'dead_corner' | 'exposed_garbage' | 'construction_waste' | 'four_piles';
  volume_m3: number;
  status: 'reported' | 'assigned' | 'clearing' | 'cleared';
  /** ISO 8601 with offset. */
  reported_at: string;
  district: DistrictCode;
  geometry: PointGeometry;
}

export type VendorZoneKind = 'tidal_stall' | 'convenience_food' | 'farmer_stall' | 'outdoor_display' | 'market_street';

export interface VendorZoneRow {
  name: string;
  kind: VendorZoneKind;
  permit: 'proposed' | 'active' | 'suspended' | 'revoked';
  /** 'HH:MM' local time. */
  opens_at: string;
  closes_at: string;
  capacity: number;
  district: DistrictCode;
  geometry: PolygonGeometry;
}

export interface RestrictedAreaRow {
  name: string;
  kind: 'school_gate' | 'fire_lane' | 'main_carriageway' | 'hospital';
  district: DistrictCode;
  geometry: PolygonGeometry;
}

export interface CaseRow {
  case_no: string;
  source: 'hotline' | 'photo' | 'camera' | 'patrol';
  category: 'exposed_garbage' | 'street_vending' | 'unlit_road' | 'damaged_manhole' | 'illegal_parking' | 'overflowing_bin';
  status: 'reported' | 'filed' | 'dispatched' | 'handling' | 'verifying' | 'closed';
  reported_at: string;
  due_at: string;
  grid_code: string;
  geometry: PointGeometry;
}

/** Rows of every layer table, keyed by table name, in the order they must be inserted. */
export interface LayerRows {
  districts: DistrictRow;
  grid_cells: GridCellRow;
  roads: RoadRow;
  alleys: AlleyRow;
  streetlights: StreetlightRow;
  trash_hotspots: TrashHotspotRow;
  vendor_zones: VendorZoneRow;
  restricted_areas: RestrictedAreaRow;
  cases: CaseRow;
}

export type LayerTable = keyof LayerRows;

export const layerTables: readonly LayerTable[] = [
  'districts',
  'grid_cells',
  'roads',
  'alleys',
  'streetlights',
  'trash_hotspots',
  'vendor_zones',
  'restricted_areas',
  'cases',
];
