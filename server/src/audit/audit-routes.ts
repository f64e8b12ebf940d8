import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { forbidden, requireEditor, requireUser } from '../auth/authenticate.ts';
import { badRequest } from '../http/problem.ts';
import { restoreFeature } from '../ogc/feature-writes.ts';
import { featureIdOrNotFound, layerOrNotFound } from '../ogc/write-routes.ts';
import { layers } from '../registry/layers.ts';
import { featureHistory, recentChanges } from './audit-log.ts';

export const recentChangesQuerySchema = z.object({
  user: z.string().max(64).optional(),
  layer: z.enum(layers.map((layer) => layer.id) as [string, ...string[]]).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function auditRoutes(pool: pg.Pool): Router {
  const router = Router();

  router.get('/api/features/:layer/:featureId/history', async (request, response) => {
    const layer = layerOrNotFound(request.params.layer);
    const id = featureIdOrNotFound(layer, request.params.featureId);
    response.json({ layer: layer.id, featureId: id, entries: await featureHistory(pool, layer.id, id) });
  });

  router.post('/api/features/:layer/:featureId/restore/:version', async (request, response) => {
    const layer = layerOrNotFound(request.params.layer);
    const user = requireEditor(request, layer);
    const id = featureIdOrNotFound(layer, request.params.featureId);
    const version = Number(request.params.version);
    if (!Number.isSafeInteger(version) || version < 1) throw badRequest('The version must be a whole number from 1.', [{ name: 'version', reason: 'not a version' }]);
    const ifMatch = request.get('if-match');
    const expected = ifMatch ? Number(/"(\d+)"/.exec(ifMatch)?.[1] ?? Number.NaN) : undefined;
    const written = await restoreFeature(pool, layer, user, id, version, expected);
    response.set('ETag', `"${written.version}"`).type('application/geo+json').send(written.feature);
  });

  router.get('/api/audit', async (request, response) => {
    const user = requireUser(request);
    if (user.role !== 'admin') throw forbidden('Only an admin may read the change log across layers.');
    const parsed = recentChangesQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      throw badRequest('The query parameters are not valid.', parsed.error.issues.map((issue) => ({ name: issue.path.join('.'), reason: issue.message })));
    }
    const { user: username, ...rest } = parsed.data;
    response.json({ entries: await recentChanges(pool, { username, ...rest }) });
  });

  return router;
}
