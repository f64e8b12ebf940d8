/**
 * The layer runtime: turns the server's layer list (/api/layers) into map layers. Lines and
 * polygons become MapLibre layers over our vector tiles; point layers become deck.gl MVTLayers
 * (many thousand lamps stay fast and pickable on the GPU). Each layer's zoom range comes from the
 * registry, so a layer appears exactly where the server has tiles for it.
 */
import { Layer, type LayerProps } from '@deck.gl/core';
import { MVTLayer } from '@deck.gl/geo-layers';
import mvtWorkerUrl from '@loaders.gl/mvt/mvt-worker.js?url';
import type { FilterSpecification, Map as MapLibreMap, VectorTileSource } from 'maplibre-gl';
import { absoluteUrl, type PublishedLayer } from '../api/client.ts';
import type { Language } from '../i18n/messages.ts';
import { styleFor } from '../layers/index.ts';
import { clusterScale, rgba, type DeckPointStyle, type MapLibreLayerStyle, type StackBand } from '../layers/layer-style.ts';
import { districtLabelLayer, type DistrictLabel } from './district-labels.ts';
import type { TileActivity } from './tile-activity.ts';

/**
 * Beyond this zoom tiles are overzoomed rather than fetched: the demo city's geometry is already
 * exact at z16, and deeper tiles would only multiply requests.
 */
const deepestTileZoom = 16;

/** MapLibre's layer maxzoom is exclusive, the registry's inclusive; 24 is MapLibre's ceiling. */
function exclusiveMaxZoom(layer: PublishedLayer): number {
  return Math.min(layer.maxzoom + 1, 24);
}

function tileZoomRange(layer: PublishedLayer): { minzoom: number; maxzoom: number } {
  const maxzoom = Math.min(layer.maxzoom, deepestTileZoom);
  return { minzoom: Math.min(layer.minzoom, maxzoom), maxzoom };
}

export type Visibility = Readonly<Record<string, boolean>>;

/**
 * A counter per layer, raised after each save. The server drops its cached tiles on a write, but
 * MapLibre and deck.gl keep theirs by URL: a new query string makes them fetch the tiles again.
 */
export type TileVersions = Readonly<Record<string, number>>;

export function tileUrl(layer: PublishedLayer, versions: TileVersions): string {
  const version = versions[layer.id];
  return absoluteUrl(version ? `${layer.tiles}?v=${version}` : layer.tiles);
}

/** Points the MapLibre sources of layers whose version moved at their new tile URL. */
export function refreshMapLibreSources(map: MapLibreMap, layers: readonly PublishedLayer[], versions: TileVersions): void {
  for (const { layer } of mapLibreLayers(layers)) {
    const source = map.getSource(layer.id);
    const url = tileUrl(layer, versions);
    if (source && source.type === 'vector' && (source as VectorTileSource).tiles?.[0] !== url) {
      (source as VectorTileSource).setTiles([url]);
    }
  }
}

interface StyledLayer<S> {
  layer: PublishedLayer;
  style: S;
}

const bandOrder: Record<StackBand, number> = { base: 0, network: 1, overlay: 2 };

/** MapLibre-drawn layers, bottom first: by band, then in registry order within a band. */
export function mapLibreLayers(layers: readonly PublishedLayer[]): StyledLayer<MapLibreLayerStyle>[] {
  return layers
    .flatMap((layer, order) => {
      const style = styleFor(layer.id);
      return style?.renderer === 'maplibre' ? [{ layer, style, order }] : [];
    })
    .sort((a, b) => bandOrder[a.style.band] - bandOrder[b.style.band] || a.order - b.order)
    .map(({ layer, style }) => ({ layer, style }));
}

export function deckPointLayers(layers: readonly PublishedLayer[]): StyledLayer<DeckPointStyle>[] {
  return layers.flatMap((layer) => {
    const style = styleFor(layer.id);
    return style?.renderer === 'deck-points' ? [{ layer, style }] : [];
  });
}

/** Adds a vector source and the paint layers of every MapLibre-drawn layer; returns their ids. */
export function installMapLibreLayers(map: MapLibreMap, layers: readonly PublishedLayer[], visibility: Visibility): void {
  for (const { layer, style } of mapLibreLayers(layers)) {
    if (!map.getSource(layer.id)) {
      map.addSource(layer.id, { type: 'vector', tiles: [absoluteUrl(layer.tiles)], ...tileZoomRange(layer) });
    }
    for (const paintLayer of style.paintLayers(layer)) {
      if (map.getLayer(paintLayer.id)) continue;
      map.addLayer({
        ...paintLayer,
        source: layer.id,
        'source-layer': layer.id,
        minzoom: layer.minzoom,
        maxzoom: exclusiveMaxZoom(layer),
        layout: { ...paintLayer.layout, visibility: visibility[layer.id] === false ? 'none' : 'visible' },
      });
    }
  }
}

/**
 * Leaves one feature out of its layer's MapLibre paint layers: while it is edited, terra-draw
 * draws it, and the stored shape underneath would read as a second copy.
 */
export function hideFeature(map: MapLibreMap, layers: readonly PublishedLayer[], hidden: { layerId: string; featureId: number } | undefined): void {
  for (const [layerId, paintIds] of paintLayerIdsOf(layers)) {
    const filter = hidden?.layerId === layerId ? (['!=', ['id'], hidden.featureId] as FilterSpecification) : null;
    for (const paintId of paintIds) if (map.getLayer(paintId)) map.setFilter(paintId, filter);
  }
}

export function paintLayerIdsOf(layers: readonly PublishedLayer[]): Map<string, string[]> {
  return new Map(mapLibreLayers(layers).map(({ layer, style }) => [layer.id, style.paintLayers(layer).map((paint) => paint.id)]));
}

export function applyMapLibreVisibility(map: MapLibreMap, layers: readonly PublishedLayer[], visibility: Visibility): void {
  for (const [layerId, paintIds] of paintLayerIdsOf(layers)) {
    const value = visibility[layerId] === false ? 'none' : 'visible';
    for (const paintId of paintIds) {
      if (map.getLayer(paintId) && map.getLayoutProperty(paintId, 'visibility') !== value) {
        map.setLayoutProperty(paintId, 'visibility', value);
      }
    }
  }
}

type LayerFetch = NonNullable<LayerProps['fetch']>;

/** deck.gl's own fetch (resource cache, loaders), wrapped so the status line sees tiles in flight. */
function trackedFetch(activity: TileActivity): LayerFetch {
  // One function per activity: a new `fetch` prop on every render could make deck.gl refetch tiles.
  let fetch = trackedFetches.get(activity);
  if (!fetch) {
    const defaultFetch = (Layer.defaultProps as unknown as { fetch: { value: LayerFetch } }).fetch.value;
    fetch = (url, context) => activity.track(Promise.resolve(defaultFetch(url, context)));
    trackedFetches.set(activity, fetch);
  }
  return fetch;
}

const trackedFetches = new WeakMap<TileActivity, LayerFetch>();

interface DeckLayerInputs {
  layers: readonly PublishedLayer[];
  visibility: Visibility;
  language: Language;
  labels: readonly DistrictLabel[];
  activity: TileActivity;
  versions: TileVersions;
}

type FeatureLike = { properties?: Record<string, unknown> | null };

/** Opacity of finished work (see `mutedValues`): still findable, no longer loud. */
const mutedAlpha = 110;

function pointLayer({ layer, style }: StyledLayer<DeckPointStyle>, visible: boolean, fetch: LayerFetch, versions: TileVersions) {
  const muted = new Set(style.mutedValues ?? []);
  const colorOf = (feature: FeatureLike) => {
    const value = layer.legendField ? feature.properties?.[layer.legendField] : undefined;
    if (typeof value !== 'string') return rgba(style.fallbackColor);
    return rgba(style.legendColors[value] ?? style.fallbackColor, muted.has(value) ? mutedAlpha : 255);
  };
  const outlineOf = (feature: FeatureLike) => {
    const value = layer.legendField ? feature.properties?.[layer.legendField] : undefined;
    return rgba(style.outlineColor, typeof value === 'string' && muted.has(value) ? mutedAlpha : 220);
  };
  const { minzoom, maxzoom } = tileZoomRange(layer);
  return new MVTLayer({
    id: layer.id,
    data: tileUrl(layer, versions),
    minZoom: minzoom,
    maxZoom: maxzoom,
    visible,
    pickable: true,
    fetch,
    // loaders.gl fetches its parser worker from a CDN unless told otherwise; the console runs
    // offline, so the worker is bundled with the app (an @deck.gl/geo-layers dependency).
    loadOptions: { mvt: { workerUrl: mvtWorkerUrl } },
    pointType: 'circle',
    stroked: true,
    filled: true,
    getFillColor: colorOf,
    getLineColor: outlineOf,
    getLineWidth: style.outlineWidthPixels,
    lineWidthUnits: 'pixels',
    getPointRadius: (feature: FeatureLike) => {
      const properties = feature.properties ?? {};
      return style.radiusPixels(properties) * clusterScale(properties);
    },
    pointRadiusUnits: 'pixels',
  });
}

/** The deck.gl layers, top last: point layers in registry order, district names above them all. */
export function deckLayers({ layers, visibility, language, labels, activity, versions }: DeckLayerInputs) {
  const fetch = trackedFetch(activity);
  return [
    ...deckPointLayers(layers).map((styled) => pointLayer(styled, visibility[styled.layer.id] !== false, fetch, versions)),
    ...(labels.length > 0 && visibility.districts !== false ? [districtLabelLayer([...labels], language)] : []),
  ];
}
