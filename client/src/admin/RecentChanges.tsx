import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { PublishedLayer } from '../api/client.ts';
import { fetchRecentChanges, type ChangeLogEntry, type ChangeLogFilter } from '../api/features.ts';
import { localized, useLanguage } from '../i18n/language.tsx';

/** The admin's change log across layers (/api/audit), filtered by user, layer and dates. */
export function RecentChanges({ layers, onClose }: { layers: readonly PublishedLayer[]; onClose: () => void }) {
  const { language, t } = useLanguage();
  const [draft, setDraft] = useState<ChangeLogFilter>({});
  const [filter, setFilter] = useState<ChangeLogFilter>({});
  const [entries, setEntries] = useState<ChangeLogEntry[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const controller = new AbortController();
    // "To" a date means up to the end of that day, as a reader expects.
    const to = filter.to ? `${filter.to}T23:59:59.999Z` : undefined;
    fetchRecentChanges({ ...filter, to, limit: 200 }, controller.signal).then(
      (loaded) => {
        setEntries(loaded);
        setError(undefined);
      },
      (failure: unknown) => controller.signal.aborted || setError((failure as Error).message),
    );
    return () => controller.abort();
  }, [filter]);

  const apply = useCallback((event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
  }, [draft]);
  const titleOf = (layerId: string) => {
    const layer = layers.find((candidate) => candidate.id === layerId);
    return layer ? localized(layer.title, language) : layerId;
  };
  const update = (key: keyof ChangeLogFilter) => (event: { target: { value: string } }) => setDraft((current) => ({ ...current, [key]: event.target.value || undefined }));

  return (
    <section className="recent-changes" aria-label={t.recentChanges}>
      <header>
        <h2>{t.recentChanges}</h2>
        <button type="button" className="close-button" aria-label={t.close} onClick={onClose}>
          ×
        </button>
      </header>
      <form className="change-filters" onSubmit={apply}>
        <label>
          {t.filterUser}
          <input name="user" value={draft.user ?? ''} onChange={update('user')} />
        </label>
        <label>
          {t.filterLayer}
          <select name="layer" value={draft.layer ?? ''} onChange={update('layer')}>
            <option value="">{t.allLayers}</option>
            {layers.map((layer) => (
              <option key={layer.id} value={layer.id}>
                {localized(layer.title, language)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.filterFrom}
          <input name="from" type="date" value={draft.from ?? ''} onChange={update('from')} />
        </label>
        <label>
          {t.filterTo}
          <input name="to" type="date" value={draft.to ?? ''} onChange={update('to')} />
        </label>
        <button type="submit" className="primary">
          {t.apply}
        </button>
      </form>
      {error ? <p className="panel-message is-error">{t.loadFailed(error)}</p> : null}
      {entries?.length === 0 ? <p>{t.noChanges}</p> : null}
      {entries && entries.length > 0 ? (
        <table className="change-table">
          <thead>
            <tr>
              <th>{t.when}</th>
              <th>{t.who}</th>
              <th>{t.filterLayer}</th>
              <th>{t.featureId}</th>
              <th>{t.what}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>{new Date(entry.occurredAt).toLocaleString(language, { dateStyle: 'short', timeStyle: 'short' })}</td>
                <td>{entry.username}</td>
                <td>{titleOf(entry.layer)}</td>
                <td>{entry.featureId}</td>
                <td>
                  {t.actions[entry.action] ?? entry.action} · {t.version(entry.version)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
