import { pointCountField, type FieldDefinition, type LayerDefinition } from '../registry/layers.ts';

/** Tile resolution in tile units, and the margin (in units) kept around a tile so lines and
 *  labels do not break at tile edges: the usual 4096 and 64 of ST_AsMVTGeom. */
export const tileExtent = 4096;
export const tileBuffer = 64;

const identifierPattern = /^[a-z_][a-z0-9_]*$/;

/** Quotes a registry identifier. Registry names are fixed in code; the check guards a typo. */
export function identifier(name: string): string {
  if (!identifierPattern.test(name)) throw new Error(`unsafe SQL identifier in the layer registry: ${name}`);
  return `"${name}"`;
}

/**
 * How a field travels in a tile: every engine and encoder gets the same scalar types, so tiles
 * from ST_AsMVT and from the Node encoder decode to identical properties.
 */
export function fieldExpression(field: FieldDefinition, tableAlias = 't'): string {
  const column = `${tableAlias}.${identifier(field.name)}`;
  switch (field.type) {
    case 'number':
      return `${column}::float8 AS ${identifier(field.name)}`;
    case 'integer':
      return `${column}::int8 AS ${identifier(field.name)}`;
    case 'datetime':
      return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ${identifier(field.name)}`;
    case 'date':
      return `to_char(${column}, 'YYYY-MM-DD') AS ${identifier(field.name)}`;
    case 'time':
      return `to_char(${column}, 'HH24:MI') AS ${identifier(field.name)}`;
    case 'boolean':
    case 'string':
      return `${column} AS ${identifier(field.name)}`;
  }
}

/** The PostgreSQL type a field's value is cast to when it comes in as a query parameter. */
export const sqlTypeOf: Record<FieldDefinition['type'], string> = {
  string: 'text',
  number: 'float8',
  integer: 'int8',
  boolean: 'boolean',
  datetime: 'timestamptz',
  date: 'date',
  time: 'time',
};

export function propertyList(layer: Pick<LayerDefinition, 'fields'>, tableAlias = 't'): string {
  return layer.fields.map((field) => fieldExpression(field, tableAlias)).join(',\n      ');
}

/** Cluster cells are this many tile units wide: about eight screen pixels on a 512-px tile. */
const clusterCellUnits = 64;

/** Whether a tile of this layer at this zoom carries clusters rather than single points. */
export function isClusteredAt(layer: LayerDefinition, zoom: number): boolean {
  return layer.geometryType === 'Point' && layer.clusterBelowZoom !== undefined && zoom < layer.clusterBelowZoom;
}

/** What a tile is made of: the rows (aliased t) and the fields they carry. */
interface TileSource {
  from: string;
  where: string;
  fields: FieldDefinition[];
}

/**
 * Points grouped on a grid anchored at the Web Mercator origin, so a cluster never straddles
 * two tiles and looks the same in each. Each cluster keeps the lowest id, its size and the most
 * common legend value, which is what the map colours by.
 */
/** One tile unit in EPSG:3857 metres, for the tile in the `bounds` CTE. */
const tileUnit = `(ST_XMax(bounds.envelope) - ST_XMin(bounds.envelope)) / ${tileExtent}`;

function clusteredSource(layer: LayerDefinition): TileSource {
  const legend = layer.fields.find((field) => field.name === layer.legendField);
  const cell = `${tileUnit} * ${clusterCellUnits}`;
  const legendColumn = legend ? `, mode() WITHIN GROUP (ORDER BY c.${identifier(legend.name)}) AS ${identifier(legend.name)}` : '';
  return {
    from: `(
      SELECT min(c.id) AS id, count(*) AS point_count${legendColumn},
             ST_Centroid(ST_Collect(c.geom_3857)) AS geom_3857
      FROM ${identifier(layer.table)} c, bounds
      WHERE c.geom_3857 && bounds.clip_box AND c.deleted_at IS NULL
      GROUP BY ST_SnapToGrid(c.geom_3857, ${cell})
    ) t`,
    where: 'true',
    fields: legend ? [legend, pointCountField] : [pointCountField],
  };
}

function tileSource(layer: LayerDefinition, clustered: boolean): TileSource {
  if (clustered) return clusteredSource(layer);
  return { from: `${identifier(layer.table)} t`, where: tileRowFilter(layer), fields: layer.fields };
}

/** Rows that belong in a tile at zoom $1: live, and of a class shown at that zoom. */
function tileRowFilter(layer: LayerDefinition): string {
  const conditions = ['t.geom_3857 && bounds.clip_box', 't.deleted_at IS NULL'];
  if (layer.geometryType !== 'Point') {
    // A line or polygon smaller than one tile unit cannot be seen; at low zooms thousands of
    // them would still fill the tile with their properties.
    conditions.push(
      `ST_XMax(t.geom_3857) - ST_XMin(t.geom_3857) + ST_YMax(t.geom_3857) - ST_YMin(t.geom_3857)
         >= ${tileUnit}`,
    );
  }
  if (layer.appearsFrom) {
    const { field, zoomByValue } = layer.appearsFrom;
    const cases = Object.entries(zoomByValue)
      .map(([value, zoom]) => `WHEN '${value.replaceAll("'", "''")}' THEN ${Number(zoom)}`)
      .join(' ');
    conditions.push(`(CASE t.${identifier(field)} ${cases} ELSE ${layer.minzoom} END) <= $1`);
  }
  return conditions.join(' AND ');
}

/**
 * Lines and polygons simplified to a quarter of a tile unit: finer detail cannot show, and
 * low-zoom tiles would otherwise carry every vertex. Done before either encoder, so both
 * encode the same shapes.
 */
function tileSourceGeometry(layer: LayerDefinition): string {
  if (layer.geometryType === 'Point') return 't.geom_3857';
  return `ST_Simplify(t.geom_3857, ${tileUnit} / 4, true)`;
}

const tileBounds = `
  WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS envelope,
           ST_TileEnvelope($1, $2, $3, margin => ${tileBuffer}.0 / ${tileExtent}) AS clip_box
  )`;

/** Whole tile built by PostGIS: the fast path wherever PostGIS has protobuf support. */
export function mvtTileQuery(layer: LayerDefinition, clustered = false): string {
  const source = tileSource(layer, clustered);
  return `${tileBounds}
  SELECT ST_AsMVT(tile, '${layer.id}', ${tileExtent}, 'geom', 'id') AS mvt
  FROM (
    SELECT t.id,
      ${propertyList(source)},
      ST_AsMVTGeom(${tileSourceGeometry(layer)}, bounds.envelope, ${tileExtent}, ${tileBuffer}, true) AS geom
    FROM ${source.from}, bounds
    WHERE ${source.where}
  ) tile
  WHERE tile.geom IS NOT NULL`;
}

/**
 * Tile-space geometry for the Node encoder, where PostGIS lacks protobuf (ST_AsMVTGeom fails).
 * It does what ST_AsMVTGeom does: clip to the buffered tile, map to 0..4096 with y down, snap to
 * whole units, repair what snapping broke, and wind exterior rings as the MVT spec wants
 * (positive area in tile space, which is counter-clockwise in PostGIS's y-up reckoning).
 */
export function tileGeometryQuery(layer: LayerDefinition, clustered = false): string {
  const source = tileSource(layer, clustered);
  const toTileSpace = `ST_TransScale(%GEOM%,
        -ST_XMin(bounds.envelope), -ST_YMax(bounds.envelope),
        ${tileExtent} / (ST_XMax(bounds.envelope) - ST_XMin(bounds.envelope)),
        -${tileExtent} / (ST_YMax(bounds.envelope) - ST_YMin(bounds.envelope)))`;
  const clipped =
    layer.geometryType === 'Point' ? tileSourceGeometry(layer) : `ST_ClipByBox2D(${tileSourceGeometry(layer)}, bounds.clip_box)`;
  const snapped = `ST_RemoveRepeatedPoints(ST_SnapToGrid(${toTileSpace.replace('%GEOM%', clipped)}, 1))`;
  const finished = tileSpaceFinish(layer, snapped);
  // && compares float4 boxes rounded outwards, so it lets through points just outside the
  // buffer. ST_AsMVTGeom keeps a point if it lies in the buffer once snapped to whole units;
  // test the same way. Lines and polygons are cut by the clip instead.
  const inBuffer = `BETWEEN ${-tileBuffer} AND ${tileExtent + tileBuffer}`;
  const pointInBuffer = layer.geometryType === 'Point' ? `AND ST_X(tile.geom) ${inBuffer} AND ST_Y(tile.geom) ${inBuffer}` : '';
  return `${tileBounds}
  SELECT tile.id, ${source.fields.map((field) => `tile.${identifier(field.name)}`).join(', ')},
         ST_AsGeoJSON(tile.geom, 0) AS geometry
  FROM (
    SELECT t.id,
      ${propertyList(source)},
      ${finished} AS geom
    FROM ${source.from}, bounds
    WHERE ${source.where}
  ) tile
  WHERE tile.geom IS NOT NULL AND NOT ST_IsEmpty(tile.geom) ${pointInBuffer}`;
}

function tileSpaceFinish(layer: LayerDefinition, snapped: string): string {
  switch (layer.geometryType) {
    case 'Point':
      return snapped;
    case 'LineString':
      // Clipping can leave stray points where a line grazes the buffer edge; keep the lines.
      return `ST_CollectionExtract(${snapped}, 2)`;
    case 'Polygon':
    case 'MultiPolygon':
      return `ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(${snapped}), 3))`;
  }
}
