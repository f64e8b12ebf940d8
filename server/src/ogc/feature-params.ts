import type { Request } from 'express';
import { HttpProblem, notFound } from '../http/problem.ts';
import { findLayer, type LayerDefinition } from '../registry/layers.ts';

/** The layer a path names, or the 404 that lists where the layers are. */
export function layerOrNotFound(id: string | undefined): LayerDefinition {
  const layer = id === undefined ? undefined : findLayer(id);
  if (!layer) throw notFound(`There is no collection named ${JSON.stringify(id)}. GET /ogc/collections lists them.`);
  return layer;
}

/** A feature id from a path: anything but a plain positive number names no feature. */
export function featureIdOrNotFound(layer: LayerDefinition, raw: string | undefined): number {
  if (!raw || !/^\d{1,15}$/.test(raw)) throw notFound(`${layer.id} has no feature ${JSON.stringify(raw)}.`);
  return Number(raw);
}

/** The version an If-Match ETag names; a write to an existing feature must carry one. */
export function requiredVersion(request: Request): number {
  const header = request.get('if-match');
  if (!header) throw new HttpProblem(428, 'Precondition Required', 'Send If-Match with the ETag of the version you edited.');
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) throw new HttpProblem(412, 'Precondition Failed', `If-Match ${JSON.stringify(header)} is not an ETag of this feature.`);
  return Number(match[1]);
}
