import { useCallback, useEffect, useState } from 'react';
import type { PublishedLayer } from '../api/client.ts';
import { fetchHistory, restoreVersion, type HistoryEntry } from '../api/features.ts';
import { etagOf, versionOf } from '../api/http.ts';
import { localized, useLanguage } from '../i18n/language.tsx';

interface HistoryPanelProps {
  layer: PublishedLayer;
  featureId: number;
  /** Whether the signed-in role may write this layer; a reader sees the list without buttons. */
  canRestore: boolean;
  /** Raised after any write to the layer, so the list shows the new version. */
  revision: number;
  onRestored: (layerId: string) => void;
  onClose: () => void;
}

/** Every version of one feature, newest first, each restorable as a new version. */
export function HistoryPanel({ layer, featureId, canRestore, revision, onRestored, onClose }: HistoryPanelProps) {
  const { language, t } = useLanguage();
  const [entries, setEntries] = useState<HistoryEntry[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchHistory(layer.id, featureId, controller.signal).then(
      (loaded) => {
        setEntries(loaded);
        setError(undefined);
      },
      (failure: unknown) => controller.signal.aborted || setError((failure as Error).message),
    );
    return () => controller.abort();
  }, [layer.id, featureId, reloads, revision]);

  const restore = useCallback(
    async (version: number) => {
      // The newest entry is the feature's current version: the restore replaces exactly that one.
      const current = entries?.[0]?.version;
      if (current === undefined) return;
      try {
        const { etag } = await restoreVersion(layer.id, featureId, version, etagOf(current));
        setNotice(t.restored(versionOf(etag) ?? 0));
        onRestored(layer.id);
        setReloads((count) => count + 1);
      } catch (failure) {
        setError((failure as Error).message);
      }
    },
    [entries, layer.id, featureId, onRestored, t],
  );

  const oldest = entries?.at(-1);
  const original = oldest && oldest.action !== 'create' && oldest.before && oldest.version > 1 ? { version: oldest.version - 1 } : undefined;

  return (
    <section className="history-panel" aria-label={t.history}>
      <header>
        <h2>{t.historyTitle(localized(layer.title, language), featureId)}</h2>
        <button type="button" className="close-button" aria-label={t.close} onClick={onClose}>
          ×
        </button>
      </header>
      {error ? <p className="panel-message is-error">{t.loadFailed(error)}</p> : null}
      {notice ? <p className="panel-message">{notice}</p> : null}
      {!entries ? <p>{t.loadingHistory}</p> : null}
      {entries?.length === 0 ? <p>{t.historyEmpty}</p> : null}
      <ol className="history-list">
        {entries?.map((entry, index) => (
          <li key={entry.id} data-action={entry.action} data-version={entry.version}>
            <div className="history-line">
              <strong>{t.actions[entry.action] ?? entry.action}</strong>
              <span>{t.version(entry.version)}</span>
            </div>
            <div className="history-meta">
              {entry.username} · {new Date(entry.occurredAt).toLocaleString(language, { dateStyle: 'short', timeStyle: 'medium' })}
            </div>
            {canRestore && index > 0 && entry.after ? (
              <button type="button" onClick={() => void restore(entry.version)}>
                {t.restore}
              </button>
            ) : null}
          </li>
        ))}
        {original ? (
          // The demo city's own features (and any imported ones) were there before the log began:
          // their first logged write still holds the version it replaced.
          <li data-action="original" data-version={original.version}>
            <div className="history-line">
              <strong>{t.originalVersion}</strong>
              <span>{t.version(original.version)}</span>
            </div>
            {canRestore ? (
              <button type="button" onClick={() => void restore(original.version)}>
                {t.restore}
              </button>
            ) : null}
          </li>
        ) : null}
      </ol>
    </section>
  );
}
