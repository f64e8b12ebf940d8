import type { Map as MapLibreMap } from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { PublishedLayer } from '../api/client.ts';
import { RecentChanges } from '../admin/RecentChanges.tsx';
import { EditPanel } from '../editing/EditPanel.tsx';
import { HistoryPanel } from '../editing/HistoryPanel.tsx';
import { useDraw } from '../editing/use-draw.ts';
import { useEditor } from '../editing/use-editor.ts';
import { useLanguage } from '../i18n/language.tsx';
import type { SelectedFeature } from '../map/feature-at-point.ts';
import type { TileVersions, Visibility } from '../map/layer-runtime.ts';
import { MapView } from '../map/MapView.tsx';
import { markMapReady } from '../map/test-hooks.ts';
import { TileActivity } from '../map/tile-activity.ts';
import { ErrorBanner } from './ErrorBanner.tsx';
import { FeaturePopup } from './FeaturePopup.tsx';
import { LayerPanel } from './LayerPanel.tsx';
import { mayEdit, useSession } from './session.tsx';
import { StatusLine } from './StatusLine.tsx';
import { useConsoleData } from './use-console-data.ts';
import { useMapZoom } from './use-map-zoom.ts';

interface HistoryTarget {
  layer: PublishedLayer;
  featureId: number;
}

export function App() {
  const { language, t } = useLanguage();
  const { user } = useSession();
  const { health, layers, labels, error, retry } = useConsoleData();
  const [activity] = useState(() => new TileActivity());
  const tiles = useSyncExternalStore(activity.subscribe, activity.getSnapshot);
  const [map, setMap] = useState<MapLibreMap>();
  const zoom = useMapZoom(map);
  const [visibility, setVisibility] = useState<Visibility>({});
  const [selection, setSelection] = useState<SelectedFeature>();
  const [tileVersions, setTileVersions] = useState<TileVersions>({});
  const [historyTarget, setHistoryTarget] = useState<HistoryTarget>();
  const [changesOpen, setChangesOpen] = useState(false);

  // MapView installs the layers in its own effect, which runs before this component's.
  const draw = useDraw(map, Boolean(layers));
  const reloadTiles = useCallback((layerId: string) => {
    setTileVersions((current) => ({ ...current, [layerId]: (current[layerId] ?? 0) + 1 }));
  }, []);
  const editor = useEditor({ draw, t, onWritten: reloadTiles });
  const editableLayers = useMemo(() => (layers ?? []).filter((layer) => mayEdit(user, layer)), [layers, user]);

  // While a shape is drawn or edited, map clicks belong to terra-draw, not to the popup.
  const editing = editor.target.kind !== 'idle';
  const editingRef = useRef(editing);
  useEffect(() => {
    editingRef.current = editing;
  });
  const select = useCallback((feature: SelectedFeature | undefined) => {
    if (!editingRef.current) setSelection(feature);
  }, []);

  useEffect(() => {
    if (tiles.ready) markMapReady();
  }, [tiles.ready]);

  const { endSession } = editor;
  useEffect(() => {
    // Signing out (or in as another role) ends an edit the new session may not save.
    endSession();
    setChangesOpen(false);
    setHistoryTarget(undefined);
  }, [user, endSession]);

  const toggleLayer = useCallback((layerId: string, visible: boolean) => {
    setVisibility((current) => ({ ...current, [layerId]: visible }));
    // A popup about a feature that is no longer drawn would point at nothing.
    if (!visible) setSelection((current) => (current?.layerId === layerId ? undefined : current));
  }, []);
  const closePopup = useCallback(() => setSelection(undefined), []);

  const layerOf = (selected: SelectedFeature) => layers?.find((layer) => layer.id === selected.layerId);
  const selectedLayer = selection ? layerOf(selection) : undefined;
  const { startEditing } = editor;
  const editSelection = useCallback(
    (selected: SelectedFeature) => {
      const layer = layers?.find((candidate) => candidate.id === selected.layerId);
      if (!layer || selected.featureId === undefined) return;
      setSelection(undefined);
      setHistoryTarget(undefined);
      void startEditing(layer, selected.featureId);
    },
    [layers, startEditing],
  );
  const showHistory = useCallback(
    (selected: SelectedFeature) => {
      const layer = layers?.find((candidate) => candidate.id === selected.layerId);
      // The panel takes over from the popup, which would otherwise sit under it.
      if (layer && selected.featureId !== undefined) {
        setSelection(undefined);
        setHistoryTarget({ layer, featureId: selected.featureId });
      }
    },
    [layers],
  );
  const editTarget = editor.target;

  return (
    <div className="console" lang={language}>
      <MapView
        layers={layers}
        visibility={visibility}
        tileVersions={tileVersions}
        hiddenFeature={editTarget.kind === 'existing' ? { layerId: editTarget.layer.id, featureId: editTarget.featureId } : undefined}
        language={language}
        labels={labels}
        activity={activity}
        onMapChange={setMap}
        onSelect={select}
      />
      <LayerPanel
        layers={layers}
        visibility={visibility}
        zoom={zoom}
        onToggle={toggleLayer}
        onOpenChanges={user?.role === 'admin' ? () => setChangesOpen(true) : undefined}
      />
      <div className="side-panels">
        {user && editableLayers.length > 0 ? <EditPanel editableLayers={editableLayers} editor={editor} /> : null}
        {editTarget.kind === 'existing' && !historyTarget ? (
          <button type="button" className="side-link" data-action="history" onClick={() => setHistoryTarget({ layer: editTarget.layer, featureId: editTarget.featureId })}>
            {t.history}
          </button>
        ) : null}
        {historyTarget ? (
          <HistoryPanel
            key={`${historyTarget.layer.id}/${historyTarget.featureId}`}
            revision={tileVersions[historyTarget.layer.id] ?? 0}
            layer={historyTarget.layer}
            featureId={historyTarget.featureId}
            canRestore={mayEdit(user, historyTarget.layer)}
            onRestored={reloadTiles}
            onClose={() => setHistoryTarget(undefined)}
          />
        ) : null}
      </div>
      {changesOpen && layers ? <RecentChanges layers={layers} onClose={() => setChangesOpen(false)} /> : null}
      {error ? <ErrorBanner detail={error} onRetry={retry} /> : null}
      <FeaturePopup
        map={map}
        layers={layers}
        selection={selection}
        onClose={closePopup}
        onEdit={selectedLayer && mayEdit(user, selectedLayer) ? editSelection : undefined}
        onHistory={user ? showHistory : undefined}
      />
      <StatusLine health={health} activity={tiles} zoom={zoom} />
    </div>
  );
}
