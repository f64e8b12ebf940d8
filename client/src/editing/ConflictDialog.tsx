import type { PublishedLayer } from '../api/client.ts';
import { versionOf } from '../api/http.ts';
import { localized, useLanguage } from '../i18n/language.tsx';
import { popupRows } from '../layers/popup.ts';
import { formFields } from './form-model.ts';
import type { Conflict } from './use-editor.ts';

/** Same value on both sides, however each side happened to spell it (40 and "40", "" and null). */
const sameValue = (a: unknown, b: unknown) => String(a ?? '') === String(b ?? '');

/** Yours and the server's current version side by side, differences highlighted (after a 412). */
export function ConflictDialog({ layer, conflict, onKeepMine, onTakeTheirs }: { layer: PublishedLayer; conflict: Conflict; onKeepMine: () => void; onTakeTheirs: () => void }) {
  const { language, t } = useLanguage();
  const shown = (properties: Record<string, unknown>, name: string) =>
    popupRows(layer, properties, language, t).find((row) => row.name === name)?.value ?? '—';
  const geometryDiffers = JSON.stringify(conflict.mine.geometry) !== JSON.stringify(conflict.theirs.geometry);
  return (
    <div className="dialog-backdrop">
      <div className="conflict-dialog" role="dialog" aria-modal="true" aria-labelledby="conflict-title">
        <h2 id="conflict-title">{t.conflictTitle}</h2>
        <p>{t.conflictExplain(versionOf(conflict.theirsEtag) ?? 0)}</p>
        <table className="conflict-table">
          <thead>
            <tr>
              <th>{t.field}</th>
              <th>{t.yours}</th>
              <th>{t.theirs}</th>
            </tr>
          </thead>
          <tbody>
            {formFields(layer).map((field) => {
              const changed = !sameValue(conflict.mine.properties[field.name], conflict.theirs.properties[field.name]);
              return (
                <tr key={field.name} className={changed ? 'is-changed' : undefined} data-field={field.name}>
                  <th scope="row">{localized(field.title, language)}</th>
                  <td>{shown(conflict.mine.properties, field.name)}</td>
                  <td>{shown(conflict.theirs.properties, field.name)}</td>
                </tr>
              );
            })}
            <tr className={geometryDiffers ? 'is-changed' : undefined} data-field="geometry">
              <th scope="row">{t.geometry}</th>
              <td colSpan={2}>{geometryDiffers ? t.geometryChanged : t.same}</td>
            </tr>
          </tbody>
        </table>
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onKeepMine}>
            {t.keepMine}
          </button>
          <button type="button" onClick={onTakeTheirs}>
            {t.takeTheirs}
          </button>
        </div>
      </div>
    </div>
  );
}
