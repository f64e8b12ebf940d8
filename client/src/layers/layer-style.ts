/**
 * What a layer module declares: how its features are painted and which colours its legend shows.
 * The layer runtime (src/map/layer-runtime.ts) reads these; the panel draws legends from them.
 */
import type {
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  FillLayerSpecification,
  LineLayerSpecification,
} from 'maplibre-gl';
import type { PublishedLayer } from '../api/client.ts';

/** A CSS hex colour, #rrggbb. */
export type HexColor = `#${string}`;

export type LegendShape = 'fill' | 'line' | 'circle';

/**
 * Where a MapLibre layer sits in the stack: district fills under the road network, translucent
 * zones over it so a zone drawn across a street stays visible.
 */
export type StackBand = 'base' | 'network' | 'overlay';

interface CommonStyle {
  legendShape: LegendShape;
  /** Colour per value of the layer's legendField; values missing here use `fallbackColor`. */
  legendColors: Readonly<Record<string, HexColor>>;
  /** The colour of a layer without classes, and of values the module does not know. */
  fallbackColor: HexColor;
  /** Finished states (a cleared hotspot, a closed case) drawn faint, so open work stands out. */
  mutedValues?: readonly string[];
}

/** MapLibre layer specs without `source`, `source-layer` and zooms: the runtime adds those. */
type WithoutPlacement<T> = T extends unknown ? Omit<T, 'source' | 'source-layer' | 'minzoom' | 'maxzoom'> : never;
export type MapLibrePaintLayer = WithoutPlacement<FillLayerSpecification | LineLayerSpecification>;

export interface MapLibreLayerStyle extends CommonStyle {
  renderer: 'maplibre';
  band: StackBand;
  /** Ids must start with `idPrefix` so the runtime can toggle and query them; use `paintLayerId`. */
  paintLayers: (layer: PublishedLayer) => MapLibrePaintLayer[];
}

export interface DeckPointStyle extends CommonStyle {
  renderer: 'deck-points';
  /** Radius in screen pixels of a single point; a cluster grows from it with its count. */
  radiusPixels: (properties: Record<string, unknown>) => number;
  outlineColor: HexColor;
  outlineWidthPixels: number;
}

export type LayerStyle = MapLibreLayerStyle | DeckPointStyle;

export function paintLayerId(layerId: string, part: string): string {
  return `${layerId}::${part}`;
}

export function layerIdOfPaintLayer(paintId: string): string {
  return paintId.split('::')[0] ?? paintId;
}

/** A MapLibre colour expression: the legend field's value looked up in the legend colours. */
export function colorByLegendField(
  layer: PublishedLayer,
  style: Pick<CommonStyle, 'legendColors' | 'fallbackColor'>,
): DataDrivenPropertyValueSpecification<string> {
  const entries = Object.entries(style.legendColors);
  if (!layer.legendField || entries.length === 0) return style.fallbackColor;
  // A spread of value/colour pairs is beyond the style spec's tuple types, hence the cast.
  return [
    'match',
    ['get', layer.legendField],
    ...entries.flatMap(([value, color]) => [value, color]),
    style.fallbackColor,
  ] as unknown as ExpressionSpecification;
}

/** [r, g, b, a] for deck.gl from a #rrggbb colour. */
export function rgba(color: HexColor, alpha = 255): [number, number, number, number] {
  const value = Number.parseInt(color.slice(1, 7), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255, alpha];
}

/**
 * Below a layer's cluster zoom its tiles carry clusters with a `point_count`; a cluster is drawn
 * larger as it holds more points, up to three times a single point.
 */
export function clusterScale(properties: Record<string, unknown>): number {
  const count = Number(properties.point_count);
  return Number.isFinite(count) && count > 1 ? Math.min(3, 1 + Math.log2(count) / 3) : 1;
}
