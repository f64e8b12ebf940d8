import type { PublishedLayer } from '../api/client.ts';
import { localized, useLanguage } from '../i18n/language.tsx';
import { styleFor } from '../layers/index.ts';
import { legendEntries } from '../layers/legend.ts';
import type { Visibility } from '../map/layer-runtime.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { SessionControl } from './SessionControl.tsx';
import { Legend, SingleSwatch } from './Legend.tsx';

interface LayerPanelProps {
  layers: readonly PublishedLayer[] | undefined;
  visibility: Visibility;
  zoom: number;
  onToggle: (layerId: string, visible: boolean) => void;
  /** Admins only: opens the change log. */
  onOpenChanges?: () => void;
}

/** Top layers first, as they stack on the map: points, then zones and lines, then the base. */
function panelOrder(layers: readonly PublishedLayer[]): PublishedLayer[] {
  const rank = (layer: PublishedLayer) => {
    const style = styleFor(layer.id);
    if (!style) return 9;
    if (style.renderer === 'deck-points') return 0;
    return { overlay: 1, network: 2, base: 3 }[style.band];
  };
  return [...layers].filter((layer) => styleFor(layer.id)).sort((a, b) => rank(a) - rank(b));
}

function LayerRow({ layer, visible, zoom, onToggle }: { layer: PublishedLayer; visible: boolean; zoom: number; onToggle: LayerPanelProps['onToggle'] }) {
  const { language, t } = useLanguage();
  const style = styleFor(layer.id);
  if (!style) return null;
  const entries = legendEntries(layer, style, language);
  const classed = Boolean(layer.legendField);
  const outOfRange = zoom < layer.minzoom || zoom > layer.maxzoom + 1;
  return (
    <li className={`layer-row${visible ? '' : ' is-hidden'}${outOfRange ? ' is-out-of-range' : ''}`} data-layer-id={layer.id}>
      <label className="layer-toggle">
        <input
          type="checkbox"
          checked={visible}
          data-layer-id={layer.id}
          onChange={(event) => onToggle(layer.id, event.target.checked)}
        />
        {!classed && entries[0] ? <SingleSwatch entry={entries[0]} /> : null}
        <span className="layer-title">{localized(layer.title, language)}</span>
        {outOfRange ? <span className="layer-zoom-hint">{t.visibleFromZoom(layer.minzoom)}</span> : null}
      </label>
      {classed && visible ? <Legend entries={entries} /> : null}
    </li>
  );
}

export function LayerPanel({ layers, visibility, zoom, onToggle, onOpenChanges }: LayerPanelProps) {
  const { t } = useLanguage();
  return (
    <aside className="layer-panel" aria-label={t.layersHeading}>
      <header className="panel-header">
        <h1>{t.productTitle}</h1>
        <LanguageSwitch />
        <SessionControl />
        {onOpenChanges ? (
          <button type="button" className="link-button" data-action="recent-changes" onClick={onOpenChanges}>
            {t.recentChanges}
          </button>
        ) : null}
      </header>
      <h2 className="panel-section-title">{t.layersHeading}</h2>
      <ul className="layer-list">
        {layers
          ? panelOrder(layers).map((layer) => (
              <LayerRow key={layer.id} layer={layer} visible={visibility[layer.id] !== false} zoom={zoom} onToggle={onToggle} />
            ))
          : null}
      </ul>
    </aside>
  );
}
