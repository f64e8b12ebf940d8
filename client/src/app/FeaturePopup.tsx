import { Popup, type Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import type { PublishedLayer } from '../api/client.ts';
import { localized, useLanguage } from '../i18n/language.tsx';
import { popupRows } from '../layers/popup.ts';
import type { SelectedFeature } from '../map/feature-at-point.ts';

interface FeaturePopupProps {
  map: MapLibreMap | undefined;
  layers: readonly PublishedLayer[] | undefined;
  selection: SelectedFeature | undefined;
  onClose: () => void;
  /** Set when the signed-in role may edit this layer. */
  onEdit?: (selection: SelectedFeature) => void;
  onHistory?: (selection: SelectedFeature) => void;
}

function PopupActions({ selection, onEdit, onHistory }: Pick<FeaturePopupProps, 'onEdit' | 'onHistory'> & { selection: SelectedFeature }) {
  const { t } = useLanguage();
  // Without an id (a cluster of points) there is no one feature to edit or to trace.
  if (selection.featureId === undefined || (!onEdit && !onHistory)) return null;
  return (
    <div className="popup-actions">
      {onEdit ? (
        <button type="button" className="primary" data-action="edit" onClick={() => onEdit(selection)}>
          {t.edit}
        </button>
      ) : null}
      {onHistory ? (
        <button type="button" data-action="history" onClick={() => onHistory(selection)}>
          {t.history}
        </button>
      ) : null}
    </div>
  );
}

function PopupContent({ layer, selection }: { layer: PublishedLayer; selection: SelectedFeature }) {
  const { language, t } = useLanguage();
  const rows = popupRows(layer, selection.properties, language, t);
  return (
    <div className="feature-popup" data-layer-id={layer.id}>
      <h3>{localized(layer.title, language)}</h3>
      {rows.length === 0 ? (
        <p>{t.popupEmpty}</p>
      ) : (
        <dl>
          {rows.map((row) => (
            <div key={row.name} className="popup-row">
              <dt>{row.label}</dt>
              <dd>{row.value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

/** MapLibre positions the popup on the map; React renders its content, so a language switch updates it. */
export function FeaturePopup({ map, layers, selection, onClose, onEdit, onHistory }: FeaturePopupProps) {
  const [container] = useState(() => document.createElement('div'));
  const layer = layers?.find((candidate) => candidate.id === selection?.layerId);

  useEffect(() => {
    if (!map || !selection) return;
    // closeOnClick off: the map's click handler decides what a click selects, and a popup closing
    // itself on that same click would undo the new selection.
    const popup = new Popup({ maxWidth: '340px', focusAfterOpen: false, closeOnClick: false })
      .setLngLat(selection.lngLat)
      .setDOMContent(container)
      .addTo(map);
    popup.on('close', onClose);
    return () => {
      // Unsubscribe first: removing the popup ourselves is not the user closing it.
      popup.off('close', onClose);
      popup.remove();
    };
  }, [map, selection, container, onClose]);

  if (!selection || !layer) return null;
  return createPortal(
    <>
      <PopupContent layer={layer} selection={selection} />
      <PopupActions selection={selection} onEdit={onEdit} onHistory={onHistory} />
    </>,
    container,
  );
}
