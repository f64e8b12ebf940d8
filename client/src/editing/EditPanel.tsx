import { useState } from 'react';
import type { PublishedLayer } from '../api/client.ts';
import { localized, useLanguage } from '../i18n/language.tsx';
import { ConflictDialog } from './ConflictDialog.tsx';
import { FeatureForm } from './FeatureForm.tsx';
import { GeometryStatus } from './GeometryStatus.tsx';
import type { Editor } from './use-editor.ts';

function NewFeatureChooser({ layers, editor }: { layers: readonly PublishedLayer[]; editor: Editor }) {
  const { language, t } = useLanguage();
  const [layerId, setLayerId] = useState(layers[0]?.id ?? '');
  const layer = layers.find((candidate) => candidate.id === layerId) ?? layers[0];
  return (
    <div className="new-feature">
      <label htmlFor="new-feature-layer">{t.chooseLayer}</label>
      <div className="new-feature-row">
        <select id="new-feature-layer" value={layer?.id ?? ''} onChange={(event) => setLayerId(event.target.value)}>
          {layers.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {localized(candidate.title, language)}
            </option>
          ))}
        </select>
        <button type="button" className="primary" data-action="draw" disabled={!layer} onClick={() => layer && editor.startDrawing(layer)}>
          {t.draw}
        </button>
      </div>
      <p className="hint">{t.pickFeatureHint}</p>
    </div>
  );
}

function drawHint(layer: PublishedLayer, t: ReturnType<typeof useLanguage>['t']): string {
  if (layer.geometryType === 'Point') return t.drawPoint;
  if (layer.geometryType === 'LineString') return t.drawLine;
  return t.drawPolygon;
}

/** The editing panel: shown only to a role that may edit at least one layer. */
export function EditPanel({ editableLayers, editor }: { editableLayers: readonly PublishedLayer[]; editor: Editor }) {
  const { language, t } = useLanguage();
  const { target } = editor;
  const blocked = editor.busy || Boolean(editor.measures?.selfIntersects);
  return (
    <section className="edit-panel" aria-label={t.editHeading} data-edit-state={target.kind}>
      <h2 className="panel-section-title">{t.editHeading}</h2>
      {target.kind === 'idle' ? <NewFeatureChooser layers={editableLayers} editor={editor} /> : null}
      {target.kind === 'drawing' ? (
        <div className="drawing">
          <p className="edit-title">{t.newFeatureOf(localized(target.layer.title, language))}</p>
          <p className="hint">{drawHint(target.layer, t)}</p>
          <button type="button" onClick={editor.discard}>
            {t.cancel}
          </button>
        </div>
      ) : null}
      {target.kind === 'new' || target.kind === 'existing' ? (
        <form
          className="edit-form"
          onSubmit={(event) => {
            event.preventDefault();
            void editor.save();
          }}
        >
          <p className="edit-title">
            {target.kind === 'new'
              ? t.newFeatureOf(localized(target.layer.title, language))
              : t.editingFeature(localized(target.layer.title, language), target.featureId, Number(target.etag.replaceAll('"', '')))}
          </p>
          {target.layer.geometryType !== 'Point' ? <p className="hint">{t.adjustVertices}</p> : null}
          <GeometryStatus measures={editor.measures} problems={editor.geometryProblems} />
          <FeatureForm layer={target.layer} values={editor.values} errors={editor.fieldErrors} onChange={editor.setValue} />
          <div className="form-actions">
            <button type="submit" className="primary" data-action="save" disabled={blocked}>
              {editor.busy ? t.saving : t.save}
            </button>
            <button type="button" data-action="undo-vertex" disabled={!editor.canUndoVertex} onClick={editor.undoVertex}>
              {t.undoVertex}
            </button>
            <button type="button" data-action="discard" onClick={editor.discard}>
              {t.discard}
            </button>
          </div>
        </form>
      ) : null}
      {editor.message ? (
        <p className={`panel-message${editor.message.tone === 'error' ? ' is-error' : ''}`} role="status">
          {editor.message.text}
        </p>
      ) : null}
      {editor.lastSave && target.kind === 'idle' ? (
        <button type="button" data-action="undo-save" disabled={editor.busy} onClick={() => void editor.undoLastSave()}>
          {editor.busy ? t.undoing : t.undoSave}
        </button>
      ) : null}
      {editor.conflict && target.kind === 'existing' ? (
        <ConflictDialog layer={target.layer} conflict={editor.conflict} onKeepMine={() => void editor.keepMine()} onTakeTheirs={editor.takeTheirs} />
      ) : null}
    </section>
  );
}
