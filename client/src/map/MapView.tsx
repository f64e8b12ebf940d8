import { MapLibreOverlay } from '@deck.gl/maplibre';
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import type { PublishedLayer } from '../api/client.ts';
import type { Language } from '../i18n/messages.ts';
import { cityCentre, initialZoom, offlineBaseStyle } from './basemap-style.ts';
import type { DistrictLabel } from './district-labels.ts';
import { featureAtPoint, type SelectedFeature } from './feature-at-point.ts';
import { applyMapLibreVisibility, deckLayers, hideFeature, installMapLibreLayers, refreshMapLibreSources, type TileVersions, type Visibility } from './layer-runtime.ts';
import { exposeForTests } from './test-hooks.ts';
import type { TileActivity } from './tile-activity.ts';

// The bundler moves MapLibre's worker away from its module, where MapLibre would look for it.
setWorkerUrl(workerUrl);

interface MapViewProps {
  layers: readonly PublishedLayer[] | undefined;
  visibility: Visibility;
  tileVersions: TileVersions;
  /** The feature being edited, which terra-draw draws instead. */
  hiddenFeature: { layerId: string; featureId: number } | undefined;
  language: Language;
  labels: readonly DistrictLabel[];
  activity: TileActivity;
  onMapChange: (map: MapLibreMap | undefined) => void;
  onSelect: (feature: SelectedFeature | undefined) => void;
}

interface MapInstances {
  map: MapLibreMap;
  overlay: MapLibreOverlay;
}

export function MapView({ layers, visibility, tileVersions, hiddenFeature, language, labels, activity, onMapChange, onSelect }: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [instances, setInstances] = useState<MapInstances>();
  // The click handler is bound once; it reads the current layers and callback from here.
  const latest = useRef({ layers, onSelect });
  useEffect(() => {
    latest.current = { layers, onSelect };
  });

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = new MapLibreMap({
      container,
      style: offlineBaseStyle(),
      center: cityCentre,
      zoom: initialZoom,
      attributionControl: false,
      // A flat operations map: rotation only confuses the street grid.
      dragRotate: false,
      pitchWithRotate: false,
    });
    map.touchZoomRotate.disableRotation();
    const overlay = new MapLibreOverlay({ interleaved: true, layers: [] });
    map.addControl(overlay);
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 140 }), 'bottom-right');
    map.on('dataloading', () => activity.mapLoading());
    map.on('idle', () => activity.mapIdle());
    map.on('load', () => setInstances({ map, overlay }));
    map.on('click', (event) => {
      const { layers: current, onSelect: select } = latest.current;
      select(current ? featureAtPoint(map, overlay, current, event.point, event.lngLat) : undefined);
    });
    const unexpose = exposeForTests(map, overlay);
    return () => {
      unexpose();
      setInstances(undefined);
      map.remove();
    };
  }, [activity]);

  useEffect(() => {
    onMapChange(instances?.map);
  }, [instances, onMapChange]);

  useEffect(() => {
    if (!instances || !layers) return;
    installMapLibreLayers(instances.map, layers, visibility);
    applyMapLibreVisibility(instances.map, layers, visibility);
  }, [instances, layers, visibility]);

  const hiddenLayerId = hiddenFeature?.layerId;
  const hiddenFeatureId = hiddenFeature?.featureId;
  useEffect(() => {
    if (!instances || !layers) return;
    hideFeature(instances.map, layers, hiddenLayerId && hiddenFeatureId ? { layerId: hiddenLayerId, featureId: hiddenFeatureId } : undefined);
  }, [instances, layers, hiddenLayerId, hiddenFeatureId]);

  useEffect(() => {
    if (instances && layers) refreshMapLibreSources(instances.map, layers, tileVersions);
  }, [instances, layers, tileVersions]);

  useEffect(() => {
    if (!instances || !layers) return;
    instances.overlay.setProps({ layers: deckLayers({ layers, visibility, language, labels: [...labels], activity, versions: tileVersions }) });
    activity.layersAdded();
  }, [instances, layers, visibility, language, labels, activity, tileVersions]);

  return <div ref={containerRef} className="map-view" data-testid="map" />;
}
