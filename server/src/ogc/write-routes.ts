import { Router } from 'express';
import type pg from 'pg';
import { requireEditor } from '../auth/authenticate.ts';
import type { LayerChangeListener } from '../db/layer-changes.ts';
import { badRequest } from '../http/problem.ts';
import { findLayer } from '../registry/layers.ts';
import type { Bounds, LayerExtents } from '../tiles/layer-extents.ts';
import { baseUrlOf } from '../tiles/tile-routes.ts';
import { parseFeatureInput } from './feature-input.ts';
import { featureIdOrNotFound, layerOrNotFound, requiredVersion } from './feature-params.ts';
import { createFeature, deleteFeature, restoreFeature, updateFeature } from './feature-writes.ts';

/** Where a feature may be drawn: the city's districts, with a margin for its outskirts. */
async function cityExtentOf(extents: LayerExtents): Promise<Bounds> {
  const [west, south, east, north] = await extents.boundsOf(findLayer('districts')!);
  const margin = 0.05;
  return [west - margin, south - margin, east + margin, north + margin];
}

/**
 * OGC API - Features Part 4: create, replace, update and delete, and the restore of an earlier
 * version, each checked and audited.
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

  router.post('/api/features/:layer/:featureId/restore/:version', async (request, response) => {
    const layer = layerOrNotFound(request.params.layer);
    const user = requireEditor(request, layer);
    const id = featureIdOrNotFound(layer, request.params.featureId);
    const version = /^\d{1,9}$/.test(request.params.version) ? Number(request.params.version) : 0;
    if (version < 1) throw badRequest('The version must be a whole number from 1.', [{ name: 'version', reason: `${JSON.stringify(request.params.version)} is not a version` }]);
    // A restore is a write like any other: it must name the version it replaces.
    const written = await restoreFeature(pool, layer, user, id, version, requiredVersion(request));
    layerChanged({ layer: layer.id, boxes: written.boxes });
    response.set('ETag', `"${written.version}"`).type('application/geo+json').send(written.feature);
  });

  return router;
}
