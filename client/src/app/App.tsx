import type { Map as MapLibreMap } from 'maplibre-gl';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useLanguage } from '../i18n/language.tsx';
import type { SelectedFeature } from '../map/feature-at-point.ts';
import type { Visibility } from '../map/layer-runtime.ts';
import { MapView } from '../map/MapView.tsx';
import { markMapReady } from '../map/test-hooks.ts';
import { TileActivity } from '../map/tile-activity.ts';
import { ErrorBanner } from './ErrorBanner.tsx';
import { FeaturePopup } from './FeaturePopup.tsx';
import { LayerPanel } from './LayerPanel.tsx';
import { StatusLine } from './StatusLine.tsx';
import { useConsoleData } from './use-console-data.ts';
import { useMapZoom } from './use-map-zoom.ts';

export function App() {
  const { language } = useLanguage();
  const { health, layers, labels, error, retry } = useConsoleData();
  const [activity] = useState(() => new TileActivity());
  const tiles = useSyncExternalStore(activity.subscribe, activity.getSnapshot);
  const [map, setMap] = useState<MapLibreMap>();
  const zoom = useMapZoom(map);
  const [visibility, setVisibility] = useState<Visibility>({});
  const [selection, setSelection] = useState<SelectedFeature>();

  useEffect(() => {
    if (tiles.ready) markMapReady();
  }, [tiles.ready]);

  const toggleLayer = useCallback((layerId: string, visible: boolean) => {
    setVisibility((current) => ({ ...current, [layerId]: visible }));
    // A popup about a feature that is no longer drawn would point at nothing.
    if (!visible) setSelection((current) => (current?.layerId === layerId ? undefined : current));
  }, []);
  const closePopup = useCallback(() => setSelection(undefined), []);

  return (
    <div className="console">
      <MapView
        layers={layers}
        visibility={visibility}
        language={language}
        labels={labels}
        activity={activity}
        onMapChange={setMap}
        onSelect={setSelection}
      />
      <LayerPanel layers={layers} visibility={visibility} zoom={zoom} onToggle={toggleLayer} />
      {error ? <ErrorBanner detail={error} onRetry={retry} /> : null}
      <FeaturePopup map={map} layers={layers} selection={selection} onClose={closePopup} />
      <StatusLine health={health} activity={tiles} zoom={zoom} />
    </div>
  );
}
