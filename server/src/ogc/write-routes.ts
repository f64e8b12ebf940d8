import { Router, type Request } from 'express';
import type pg from 'pg';
import { requireEditor } from '../auth/authenticate.ts';
import type { LayerChangeListener } from '../db/layer-changes.ts';
import { HttpProblem, notFound } from '../http/problem.ts';
import { findLayer, type LayerDefinition } from '../registry/layers.ts';
import type { Bounds, LayerExtents } from '../tiles/layer-extents.ts';
import { baseUrlOf } from '../tiles/tile-routes.ts';
import { parseFeatureInput } from './feature-input.ts';
import { createFeature, deleteFeature, updateFeature } from './feature-writes.ts';

export function layerOrNotFound(id: string | undefined): LayerDefinition {
  const layer = id === undefined ? undefined : findLayer(id);
  if (!layer) throw notFound(`There is no collection named ${JSON.stringify(id)}.`);
  return layer;
}

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

/** Where a feature may be drawn: the city's districts, with a margin for its outskirts. */
async function cityExtentOf(extents: LayerExtents): Promise<Bounds> {
  const [west, south, east, north] = await extents.boundsOf(findLayer('districts')!);
  const margin = 0.05;
  return [west - margin, south - margin, east + margin, north + margin];
}

/**
 * OGC API - Features Part 4: create, replace, update and delete, each checked and audited.
 * `layerChanged` hears of each write once it is committed and before it is answered: the change
 * notification comes later, on another connection, and the client's next tile request would
 * otherwise race it.
 */
export function writeRoutes(pool: pg.Pool, extents: LayerExtents, layerChanged: LayerChangeListener): Router {
  const router = Router();

  router.post('/ogc/collections/:collectionId/items', async (request, response) => {
    const layer = layerOrNotFound(request.params.collectionId);
    const user = requireEditor(request, layer);
    const input = parseFeatureInput(layer, request.body, 'create', await cityExtentOf(extents));
    const written = await createFeature(pool, layer, user, input);
    layerChanged({ layer: layer.id, boxes: written.boxes });
    response
      .status(201)
      .set({ Location: `${baseUrlOf(request)}/ogc/collections/${layer.id}/items/${written.id}`, ETag: `"${written.version}"` })
      .type('application/geo+json')
      .send(written.feature);
  });

  for (const method of ['put', 'patch'] as const) {
    router[method]('/ogc/collections/:collectionId/items/:featureId', async (request, response) => {
      const layer = layerOrNotFound(request.params.collectionId);
      const user = requireEditor(request, layer);
      const id = featureIdOrNotFound(layer, request.params.featureId);
      const version = requiredVersion(request);
      const mode = method === 'put' ? 'replace' : 'patch';
      const input = parseFeatureInput(layer, request.body, mode, await cityExtentOf(extents));
      const written = await updateFeature(pool, layer, user, id, version, input);
      layerChanged({ layer: layer.id, boxes: written.boxes });
      response.set('ETag', `"${written.version}"`).type('application/geo+json').send(written.feature);
    });
  }

  router.delete('/ogc/collections/:collectionId/items/:featureId', async (request, response) => {
    const layer = layerOrNotFound(request.params.collectionId);
    const user = requireEditor(request, layer);
    const id = featureIdOrNotFound(layer, request.params.featureId);
    const deleted = await deleteFeature(pool, layer, user, id, requiredVersion(request));
    layerChanged({ layer: layer.id, boxes: deleted.boxes });
    response.set('ETag', `"${deleted.version}"`).status(204).end();
  });

  return router;
}
