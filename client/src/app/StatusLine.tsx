import type { Health } from '../api/client.ts';
import { useLanguage } from '../i18n/language.tsx';
import type { TileActivitySnapshot } from '../map/tile-activity.ts';

interface StatusLineProps {
  health: Health | undefined;
  activity: TileActivitySnapshot;
  zoom: number;
}

export function StatusLine({ health, activity, zoom }: StatusLineProps) {
  const { t } = useLanguage();
  return (
    <footer className="status-line" role="status">
      <span className="status-engine">
        {health ? t.engine(health.database.engine, health.database.postgis) : t.engineUnknown}
      </span>
      <span className={`status-tiles${activity.loading ? ' is-loading' : ''}`} data-loading={activity.loading}>
        <span className="status-dot" aria-hidden="true" />
        {activity.loading ? t.loading : t.loaded}
      </span>
      <span className="status-zoom">{t.zoomLevel(zoom.toFixed(1))}</span>
    </footer>
  );
}
