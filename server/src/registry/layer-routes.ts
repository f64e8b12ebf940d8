import { Router } from 'express';
import { layers, type LayerDefinition } from './layers.ts';

/** What clients learn of a layer: everything but its table, plus where its tiles are. */
export type PublishedLayer = Omit<LayerDefinition, 'table'> & { tiles: string; tilejson: string };

export function publishedLayer({ table: _table, ...layer }: LayerDefinition): PublishedLayer {
  return { ...layer, tiles: `/tiles/${layer.id}/{z}/{x}/{y}.mvt`, tilejson: `/tiles/${layer.id}.json` };
}

export function layerRoutes(): Router {
  const router = Router();
  const body = { layers: layers.map(publishedLayer) };
  router.get('/api/layers', (_request, response) => {
    response.json(body);
  });
  return router;
}
