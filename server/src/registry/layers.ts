/**
 * The layer registry: every map layer is declared once here. Tiles, OGC collections,
 * /api/layers and the client's layer list and legend all read from it.
 * Table and column names used in SQL come only from this file, never from a request.
 */

/** The bureau's roles; which may write which layer is each layer's `editableBy`. */
export const roles = ['admin', 'planner', 'lighting', 'enforcement', 'sanitation', 'dispatcher', 'viewer'] as const;
export type Role = (typeof roles)[number];

export type GeometryType = 'Point' | 'LineString' | 'Polygon' | 'MultiPolygon';

export type FieldType = 'string' | 'integer' | 'number' | 'date' | 'datetime' | 'time' | 'boolean';

export interface LocalizedText {
  zh: string;
  en: string;
}

export interface EnumValue {
  value: string;
  title: LocalizedText;
}

export interface FieldDefinition {
  name: string;
  type: FieldType;
  title: LocalizedText;
  /** Allowed values; also the legend classes when this is the layer's legend field. */
  values?: EnumValue[];
  minimum?: number;
  maximum?: number;
  /** Bounds the value must lie strictly inside, as the table's CHECK says (a width above 0). */
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  /** The column takes NULL: a feature may have no value here. Every other field needs one. */
  optional?: true;
  /** What the table fills in when a new feature leaves this field out. */
  defaultValue?: string;
  /** Another datetime field this one may not precede (a case's deadline and its report). */
  notBefore?: string;
  /** Worked out by the server, never taken from a write: `geometryLength` is the length in metres. */
  derived?: 'geometryLength';
}

export interface LayerDefinition {
  id: string;
  /** Table in the database; equal to the id, kept apart so a rename touches one place. */
  table: string;
  title: LocalizedText;
  geometryType: GeometryType;
  minzoom: number;
  maxzoom: number;
  /** Properties exposed in tiles, OGC items and popups. */
  fields: FieldDefinition[];
  /** The enum field whose values colour the layer and form its legend. */
  legendField?: string;
  /** A timestamp field that OGC `datetime` filters apply to. */
  timeField?: string;
  /** Roles that may write this layer (admin always may). */
  editableBy: Role[];
  /**
   * Features of minor classes appear only from a given zoom, as on any map: it keeps low-zoom
   * tiles small and legible. Values not listed show from the layer's minzoom.
   */
  appearsFrom?: { field: string; zoomByValue: Record<string, number> };
  /**
   * Point layers only: below this zoom, points closer than a few pixels are drawn as one
   * cluster carrying `point_count` and its most common legend value.
   */
  clusterBelowZoom?: number;
}

/** The count a cluster of points carries in tiles below the layer's clusterBelowZoom. */
export const pointCountField: FieldDefinition = { name: 'point_count', type: 'integer', title: { zh: '数量', en: 'Count' } };

const text = (zh: string, en: string): LocalizedText => ({ zh, en });
const value = (v: string, zh: string, en: string): EnumValue => ({ value: v, title: text(zh, en) });

export const districtCodes = ['lixia', 'shizhong', 'huaiyin', 'tianqiao', 'licheng'] as const;

const districtField: FieldDefinition = {
  name: 'district',
  type: 'string',
  title: text('所属区', 'District'),
  values: [
    value('lixia', '历下区', 'Lixia'),
    value('shizhong', '市中区', 'Shizhong'),
    value('huaiyin', '槐荫区', 'Huaiyin'),
    value('tianqiao', '天桥区', 'Tianqiao'),
    value('licheng', '历城区', 'Licheng'),
  ],
};

export const layers: readonly LayerDefinition[] = [
  {
    id: 'districts',
    table: 'districts',
    title: text('行政区', 'Districts'),
    geometryType: 'MultiPolygon',
    minzoom: 0,
    maxzoom: 22,
    fields: [
      { name: 'code', type: 'string', title: text('代码', 'Code') },
      { name: 'name', type: 'string', title: text('名称', 'Name') },
      { name: 'name_en', type: 'string', title: text('英文名', 'English name') },
    ],
    editableBy: [],
  },
  {
    id: 'grid_cells',
    table: 'grid_cells',
    title: text('网格', 'Grid cells'),
    geometryType: 'Polygon',
    minzoom: 10,
    maxzoom: 22,
    fields: [
      { name: 'code', type: 'string', title: text('网格编号', 'Cell code') },
      districtField,
      { name: 'responsible_unit', type: 'string', title: text('责任单位', 'Responsible unit') },
    ],
    editableBy: [],
  },
  {
    id: 'roads',
    table: 'roads',
    title: text('道路', 'Roads'),
    geometryType: 'LineString',
    minzoom: 8,
    maxzoom: 22,
    fields: [
      { name: 'name', type: 'string', title: text('路名', 'Name') },
      {
        name: 'road_class',
        type: 'string',
        title: text('道路等级', 'Class'),
        values: [
          value('arterial', '主干路', 'Arterial'),
          value('secondary', '次干路', 'Secondary'),
          value('branch', '支路', 'Branch'),
        ],
      },
      { name: 'width_m', type: 'number', title: text('宽度（米）', 'Width (m)'), exclusiveMinimum: 0, maximum: 100 },
      { name: 'length_m', type: 'number', title: text('长度（米）', 'Length (m)'), minimum: 0, derived: 'geometryLength' },
      {
        name: 'lighting',
        type: 'string',
        defaultValue: 'lit',
        title: text('照明状况', 'Lighting'),
        values: [
          value('lit', '正常亮灯', 'Lit'),
          value('no_lamps', '有路无灯', 'No lamps'),
          value('lamps_out', '有灯不亮', 'Lamps out'),
        ],
      },
      districtField,
    ],
    legendField: 'lighting',
    editableBy: ['lighting'],
    appearsFrom: { field: 'road_class', zoomByValue: { arterial: 8, secondary: 11, branch: 13 } },
  },
  {
    id: 'alleys',
    table: 'alleys',
    title: text('背街小巷', 'Back alleys'),
    geometryType: 'LineString',
    minzoom: 11,
    maxzoom: 22,
    fields: [
      { name: 'name', type: 'string', title: text('巷名', 'Name') },
      { name: 'width_m', type: 'number', title: text('宽度（米）', 'Width (m)'), exclusiveMinimum: 0, exclusiveMaximum: 10 },
      { name: 'length_m', type: 'number', title: text('长度（米）', 'Length (m)'), minimum: 0, derived: 'geometryLength' },
      {
        name: 'renovation',
        type: 'string',
        defaultValue: 'surveyed',
        title: text('整治阶段', 'Renovation stage'),
        values: [
          value('surveyed', '已摸排', 'Surveyed'),
          value('planned', '已纳入计划', 'Planned'),
          value('in_progress', '施工中', 'In progress'),
          value('completed', '已完工', 'Completed'),
          value('reinspected', '已回头看', 'Re-inspected'),
        ],
      },
      { name: 'problems', type: 'string', title: text('主要问题', 'Problems'), defaultValue: '' },
      districtField,
    ],
    legendField: 'renovation',
    editableBy: ['planner'],
  },
  {
    id: 'streetlights',
    table: 'streetlights',
    title: text('路灯', 'Streetlights'),
    geometryType: 'Point',
    minzoom: 13,
    maxzoom: 22,
    fields: [
      { name: 'lamp_code', type: 'string', title: text('灯杆编号', 'Lamp code') },
      {
        name: 'status',
        type: 'string',
        title: text('状态', 'Status'),
        defaultValue: 'working',
        values: [
          value('working', '正常', 'Working'),
          value('out', '不亮', 'Out'),
          value('repairing', '维修中', 'Under repair'),
        ],
      },
      { name: 'power_w', type: 'integer', title: text('功率（瓦）', 'Power (W)'), exclusiveMinimum: 0, maximum: 2000 },
      { name: 'road_id', type: 'integer', title: text('所在道路', 'Road'), minimum: 1, optional: true },
    ],
    legendField: 'status',
    editableBy: ['lighting'],
    clusterBelowZoom: 15,
  },
  {
    id: 'trash_hotspots',
    table: 'trash_hotspots',
    title: text('垃圾死角', 'Trash hotspots'),
    geometryType: 'Point',
    minzoom: 10,
    maxzoom: 22,
    fields: [
      {
        name: 'kind',
        type: 'string',
        title: text('类型', 'Kind'),
        values: [
          value('dead_corner', '垃圾死角', 'Dead corner'),
          value('exposed_garbage', '暴露垃圾', 'Exposed garbage'),
          value('construction_waste', '建筑垃圾', 'Construction waste'),
          value('four_piles', '四大堆', 'Four piles'),
        ],
      },
      { name: 'volume_m3', type: 'number', title: text('估算方量（m³）', 'Volume (m³)'), minimum: 0, maximum: 5000 },
      {
        name: 'status',
        type: 'string',
        title: text('清理状态', 'Stage'),
        defaultValue: 'reported',
        values: [
          value('reported', '已发现', 'Reported'),
          value('assigned', '已派单', 'Assigned'),
          value('clearing', '清理中', 'Clearing'),
          value('cleared', '已清零', 'Cleared'),
        ],
      },
      { name: 'reported_at', type: 'datetime', title: text('发现时间', 'Reported at') },
      districtField,
    ],
    legendField: 'status',
    timeField: 'reported_at',
    editableBy: ['sanitation'],
    clusterBelowZoom: 12,
  },
  {
    id: 'vendor_zones',
    table: 'vendor_zones',
    title: text('便民疏导点', 'Vendor zones'),
    geometryType: 'Polygon',
    minzoom: 12,
    maxzoom: 22,
    fields: [
      { name: 'name', type: 'string', title: text('名称', 'Name') },
      {
        name: 'kind',
        type: 'string',
        title: text('类型', 'Kind'),
        values: [
          value('tidal_stall', '潮汐摊点', 'Tidal stall'),
          value('convenience_food', '便民餐点', 'Convenience food point'),
          value('farmer_stall', '便民助农益站', 'Farmer stall'),
          value('outdoor_display', '外摆', 'Shop outdoor display'),
          value('market_street', '特色街区', 'Market street'),
        ],
      },
      {
        name: 'permit',
        type: 'string',
        title: text('许可状态', 'Permit'),
        defaultValue: 'active',
        values: [
          value('proposed', '拟设', 'Proposed'),
          value('active', '有效', 'Active'),
          value('suspended', '暂停', 'Suspended'),
          value('revoked', '已撤销', 'Revoked'),
        ],
      },
      { name: 'opens_at', type: 'time', title: text('开放时间', 'Opens at') },
      { name: 'closes_at', type: 'time', title: text('关闭时间', 'Closes at') },
      { name: 'capacity', type: 'integer', title: text('摊位数', 'Stalls'), minimum: 0, maximum: 500 },
      districtField,
    ],
    legendField: 'kind',
    editableBy: ['enforcement'],
  },
  {
    id: 'restricted_areas',
    table: 'restricted_areas',
    title: text('禁设区域', 'Restricted areas'),
    geometryType: 'Polygon',
    minzoom: 12,
    maxzoom: 22,
    fields: [
      { name: 'name', type: 'string', title: text('名称', 'Name') },
      {
        name: 'kind',
        type: 'string',
        title: text('类型', 'Kind'),
        values: [
          value('school_gate', '学校门口', 'School gate'),
          value('fire_lane', '消防通道', 'Fire lane'),
          value('main_carriageway', '主干道', 'Main carriageway'),
          value('hospital', '医院周边', 'Hospital surroundings'),
        ],
      },
      districtField,
    ],
    legendField: 'kind',
    editableBy: ['enforcement'],
  },
  {
    id: 'cases',
    table: 'cases',
    title: text('案件', 'Cases'),
    geometryType: 'Point',
    minzoom: 11,
    maxzoom: 22,
    fields: [
      { name: 'case_no', type: 'string', title: text('案件编号', 'Case number') },
      {
        name: 'source',
        type: 'string',
        title: text('来源', 'Source'),
        values: [
          value('hotline', '12345热线', '12345 hotline'),
          value('photo', '随手拍', 'Photo report'),
          value('camera', '视频识别', 'Camera detection'),
          value('patrol', '网格巡查', 'Grid patrol'),
        ],
      },
      {
        name: 'category',
        type: 'string',
        title: text('问题类别', 'Category'),
        values: [
          value('exposed_garbage', '暴露垃圾', 'Exposed garbage'),
          value('street_vending', '占道经营', 'Street vending out of zone'),
          value('unlit_road', '道路不亮', 'Unlit road'),
          value('damaged_manhole', '井盖破损', 'Damaged manhole'),
          value('illegal_parking', '违规停车', 'Illegal parking'),
          value('overflowing_bin', '垃圾桶满溢', 'Overflowing bin'),
        ],
      },
      {
        name: 'status',
        type: 'string',
        title: text('办理阶段', 'Stage'),
        defaultValue: 'reported',
        values: [
          value('reported', '上报', 'Reported'),
          value('filed', '立案', 'Filed'),
          value('dispatched', '派遣', 'Dispatched'),
          value('handling', '处置', 'Handling'),
          value('verifying', '核查', 'Verifying'),
          value('closed', '结案', 'Closed'),
        ],
      },
      { name: 'reported_at', type: 'datetime', title: text('上报时间', 'Reported at') },
      { name: 'due_at', type: 'datetime', title: text('办结时限', 'Due at'), notBefore: 'reported_at' },
      { name: 'grid_code', type: 'string', title: text('所属网格', 'Grid cell'), optional: true },
    ],
    legendField: 'status',
    timeField: 'reported_at',
    editableBy: ['dispatcher'],
    clusterBelowZoom: 13,
  },
];

const layersById = new Map(layers.map((layer) => [layer.id, layer]));

export function findLayer(id: string): LayerDefinition | undefined {
  return layersById.get(id);
}
