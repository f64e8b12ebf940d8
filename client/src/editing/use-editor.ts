/**
 * The editing workflow as one state machine: draw a new feature or load a stored one, reshape it
 * in terra-draw, fill the form, save; then undo that save, or settle a 412 conflict. React
 * components only render what this hook holds.
 */
import type { Geometry } from 'geojson';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TerraDraw } from 'terra-draw';
import type { PublishedLayer } from '../api/client.ts';
import {
  createFeature,
  deleteFeature,
  fetchFeature,
  patchFeature,
  restoreVersion,
  type EditableFeature,
  type FeatureProperties,
} from '../api/features.ts';
import { ApiProblem, etagOf, versionOf } from '../api/http.ts';
import type { Messages } from '../i18n/messages.ts';
import { drawModeFor, geometryOf, loadForEditing } from './draw-tools.ts';
import { defaultFormValues, formErrors, formValuesFromProperties, propertiesFromForm, splitInvalidParams, type FieldErrors, type FormValues } from './form-model.ts';
import { measureGeometry, type GeometryMeasures } from './geometry-checks.ts';

export type EditTarget =
  | { kind: 'idle' }
  | { kind: 'drawing'; layer: PublishedLayer }
  | { kind: 'new'; layer: PublishedLayer; drawId: string | number }
  | { kind: 'existing'; layer: PublishedLayer; drawId: string | number; featureId: number; etag: string; loaded: EditableFeature };

/** The last save, so Undo can put back the version before it (or delete what was created). */
export interface SavedChange {
  layer: PublishedLayer;
  featureId: number;
  version: number;
  previousVersion: number | undefined;
}

export interface Conflict {
  mine: { geometry: Geometry; properties: FeatureProperties };
  theirs: EditableFeature;
  theirsEtag: string;
}

interface EditorOptions {
  draw: TerraDraw | undefined;
  t: Messages;
  /** Called after every write, so the map reloads the layer's tiles. */
  onWritten: (layerId: string) => void;
}

const reshapeActions = new Set(['dragCoordinate', 'insertMidpoint', 'deleteCoordinate', 'dragFeature', 'dragCoordinateResize']);

export function useEditor({ draw, t, onWritten }: EditorOptions) {
  const [target, setTarget] = useState<EditTarget>({ kind: 'idle' });
  const [geometry, setGeometry] = useState<Geometry>();
  const [values, setValues] = useState<FormValues>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [serverFieldErrors, setServerFieldErrors] = useState<FieldErrors>({});
  const [geometryProblems, setGeometryProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; tone: 'info' | 'error' }>();
  const [conflict, setConflict] = useState<Conflict>();
  const [lastSave, setLastSave] = useState<SavedChange>();
  // Geometry snapshots after each reshape; the top is the shape on screen.
  const [vertexHistory, setVertexHistory] = useState<Geometry[]>([]);

  const targetRef = useRef(target);
  useEffect(() => {
    targetRef.current = target;
  });

  const drawIdOf = (current: EditTarget) => (current.kind === 'new' || current.kind === 'existing' ? current.drawId : undefined);

  useEffect(() => {
    if (!draw) return;
    const onChange = () => {
      const id = drawIdOf(targetRef.current);
      if (id !== undefined && draw.hasFeature(id)) setGeometry(geometryOf(draw.getSnapshotFeature(id)));
    };
    const onFinish = (id: string | number, context: { action: string }) => {
      const current = targetRef.current;
      if (current.kind === 'drawing' && context.action === 'draw') {
        const drawn = geometryOf(draw.getSnapshotFeature(id));
        // Straight into select mode: the shape just drawn can be reshaped before it is saved.
        draw.setMode('select');
        draw.selectFeature(id);
        setTarget({ kind: 'new', layer: current.layer, drawId: id });
        setGeometry(drawn);
        setVertexHistory(drawn ? [drawn] : []);
        setGeometryProblems([]);
      } else if (reshapeActions.has(context.action) && id === drawIdOf(current)) {
        const reshaped = geometryOf(draw.getSnapshotFeature(id));
        if (reshaped) setVertexHistory((stack) => [...stack, reshaped]);
        setGeometryProblems([]);
      }
    };
    draw.on('change', onChange);
    draw.on('finish', onFinish);
    return () => {
      draw.off('change', onChange);
      draw.off('finish', onFinish);
    };
  }, [draw]);

  const reset = useCallback(() => {
    draw?.clear();
    draw?.setMode('static');
    setTarget({ kind: 'idle' });
    setGeometry(undefined);
    setValues({});
    setTouched(new Set());
    setServerFieldErrors({});
    setGeometryProblems([]);
    setConflict(undefined);
    setVertexHistory([]);
  }, [draw]);

  const startDrawing = useCallback(
    (layer: PublishedLayer) => {
      if (!draw) return;
      reset();
      draw.setMode(drawModeFor(layer.geometryType));
      setTarget({ kind: 'drawing', layer });
      setValues(defaultFormValues(layer));
      setMessage(undefined);
    },
    [draw, reset],
  );

  const startEditing = useCallback(
    async (layer: PublishedLayer, featureId: number) => {
      if (!draw) return;
      reset();
      setMessage(undefined);
      setBusy(true);
      try {
        const { body, etag } = await fetchFeature(layer.id, featureId);
        const drawId = loadForEditing(draw, body.geometry, drawModeFor(layer.geometryType));
        if (drawId === undefined || !etag) throw new Error('unsupported geometry');
        setTarget({ kind: 'existing', layer, drawId, featureId, etag, loaded: body });
        setGeometry(body.geometry);
        setVertexHistory([body.geometry]);
        setValues(formValuesFromProperties(layer, body.properties));
      } catch (error) {
        setMessage({ text: t.loadFailed((error as Error).message), tone: 'error' });
      } finally {
        setBusy(false);
      }
    },
    [draw, reset, t],
  );

  const undoVertex = useCallback(() => {
    const id = drawIdOf(targetRef.current);
    if (!draw || id === undefined || vertexHistory.length < 2) return;
    const previous = vertexHistory[vertexHistory.length - 2]!;
    // Deselect first so terra-draw rebuilds the vertex handles for the restored shape.
    draw.deselectFeature(id);
    draw.updateFeatureGeometry(id, previous as Parameters<TerraDraw['updateFeatureGeometry']>[1]);
    draw.selectFeature(id);
    setVertexHistory((stack) => stack.slice(0, -1));
    setGeometry(previous);
  }, [draw, vertexHistory]);

  const setValue = useCallback((name: string, value: string) => {
    setValues((current) => ({ ...current, [name]: value }));
    setTouched((current) => new Set(current).add(name));
    // The server's reason was about the old value.
    setServerFieldErrors(({ [name]: _stale, ...rest }) => rest);
  }, []);

  const layer = target.kind === 'idle' ? undefined : target.layer;
  const liveErrors = useMemo(() => (layer ? formErrors(layer, values, t) : {}), [layer, values, t]);
  const measures: GeometryMeasures | undefined = useMemo(() => (geometry ? measureGeometry(geometry) : undefined), [geometry]);

  const handleFailure = useCallback(
    (error: unknown) => {
      if (error instanceof ApiProblem) {
        if (error.status === 422) {
          const split = splitInvalidParams(error.invalidParams);
          setServerFieldErrors(split.fields);
          setGeometryProblems(split.other);
          setMessage({ text: t.serverRejected(error.detail ?? error.title), tone: 'error' });
          return;
        }
        if (error.status === 401) return setMessage({ text: t.notSignedIn, tone: 'error' });
        if (error.status === 403) return setMessage({ text: t.notAllowed, tone: 'error' });
      }
      setMessage({ text: t.saveFailed((error as Error).message), tone: 'error' });
    },
    [t],
  );

  const finishSave = useCallback(
    (saved: SavedChange) => {
      setLastSave(saved);
      setMessage({ text: t.saved(saved.featureId, saved.version), tone: 'info' });
      reset();
      onWritten(saved.layer.id);
    },
    [onWritten, reset, t],
  );

  const patchExisting = useCallback(
    async (current: Extract<EditTarget, { kind: 'existing' }>, change: Conflict['mine'], etag: string) => {
      try {
        const { etag: newEtag } = await patchFeature(current.layer.id, current.featureId, etag, change);
        finishSave({ layer: current.layer, featureId: current.featureId, version: versionOf(newEtag) ?? 0, previousVersion: versionOf(etag) });
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 412) {
          // Someone saved in between: fetch what they saved so the user can compare.
          const { body, etag: theirsEtag } = await fetchFeature(current.layer.id, current.featureId);
          setConflict({ mine: change, theirs: body, theirsEtag: theirsEtag ?? '' });
          return;
        }
        handleFailure(error);
      }
    },
    [finishSave, handleFailure],
  );

  const save = useCallback(async () => {
    const current = targetRef.current;
    if (current.kind !== 'new' && current.kind !== 'existing') return;
    const shape = geometryOf(draw?.getSnapshotFeature(current.drawId));
    if (!shape) return setMessage({ text: t.geometryMissing, tone: 'error' });
    if (measureGeometry(shape).selfIntersects) return setMessage({ text: t.selfIntersects, tone: 'error' });
    if (Object.keys(formErrors(current.layer, values, t)).length > 0) {
      setTouched(new Set(current.layer.fields.map((field) => field.name)));
      return setMessage({ text: t.fixErrors, tone: 'error' });
    }
    setBusy(true);
    setMessage(undefined);
    try {
      if (current.kind === 'new') {
        const { body, etag } = await createFeature(current.layer.id, shape, propertiesFromForm(current.layer, values, 'create'));
        finishSave({ layer: current.layer, featureId: body.id, version: versionOf(etag) ?? 1, previousVersion: undefined });
      } else {
        await patchExisting(current, { geometry: shape, properties: propertiesFromForm(current.layer, values, 'edit') }, current.etag);
      }
    } catch (error) {
      handleFailure(error);
    } finally {
      setBusy(false);
    }
  }, [draw, values, t, finishSave, patchExisting, handleFailure]);

  const keepMine = useCallback(async () => {
    const current = targetRef.current;
    if (!conflict || current.kind !== 'existing') return;
    setConflict(undefined);
    setBusy(true);
    try {
      await patchExisting(current, conflict.mine, conflict.theirsEtag);
    } finally {
      setBusy(false);
    }
  }, [conflict, patchExisting]);

  const takeTheirs = useCallback(() => {
    const current = targetRef.current;
    reset();
    if (current.kind !== 'idle') onWritten(current.layer.id);
  }, [reset, onWritten]);

  const undoLastSave = useCallback(async () => {
    if (!lastSave) return;
    setBusy(true);
    try {
      const { layer: savedLayer, featureId, version, previousVersion } = lastSave;
      if (previousVersion === undefined) {
        await deleteFeature(savedLayer.id, featureId, etagOf(version));
        setMessage({ text: t.undoneCreate(featureId), tone: 'info' });
      } else {
        const { etag } = await restoreVersion(savedLayer.id, featureId, previousVersion, etagOf(version));
        setMessage({ text: t.undone(featureId, versionOf(etag) ?? 0), tone: 'info' });
      }
      setLastSave(undefined);
      onWritten(savedLayer.id);
    } catch (error) {
      handleFailure(error);
    } finally {
      setBusy(false);
    }
  }, [lastSave, onWritten, handleFailure, t]);

  /** A new session must not undo, nor read about, the previous user's save. */
  const endSession = useCallback(() => {
    reset();
    setLastSave(undefined);
    setMessage(undefined);
  }, [reset]);

  const visibleErrors: FieldErrors = {};
  for (const [name, text] of Object.entries(liveErrors)) if (touched.has(name)) visibleErrors[name] = text;

  return {
    target,
    geometry,
    measures,
    values,
    fieldErrors: { ...visibleErrors, ...serverFieldErrors },
    geometryProblems,
    busy,
    message,
    conflict,
    lastSave,
    canUndoVertex: vertexHistory.length > 1,
    startDrawing,
    startEditing,
    setValue,
    save,
    discard: reset,
    endSession,
    undoVertex,
    undoLastSave,
    keepMine,
    takeTheirs,
  };
}

export type Editor = ReturnType<typeof useEditor>;
