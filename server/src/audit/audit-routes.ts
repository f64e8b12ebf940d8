import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { forbidden, requireEditor, requireUser } from '../auth/authenticate.ts';
import type { LayerChangeListener } from '../db/layer-changes.ts';
import { isInstantWithin } from '../http/instants.ts';
import { badRequest, notFound } from '../http/problem.ts';
import { identifier } from '../tiles/tile-sql.ts';
import { restoreFeature } from '../ogc/feature-writes.ts';
import { featureIdOrNotFound, layerOrNotFound, requiredVersion } from '../ogc/write-routes.ts';
import { layers } from '../registry/layers.ts';
import { featureHistory, recentChanges } from './audit-log.ts';

/** A day or an instant the change log can hold, such as 2026-11-01 or 2026-11-01T08:00:00Z. */
const dateParameter = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'must be YYYY-MM-DD or an RFC 3339 date-time')
  .refine((text) => isInstantWithin(text, 1970, 2999), 'must be a date that exists, between 1970 and 2999')
  .transform((text) => new Date(text));

export const recentChangesQuerySchema = z.object({
  user: z.string().max(64).optional(),
  layer: z.enum(layers.map((layer) => layer.id) as [string, ...string[]]).optional(),
  from: dateParameter.optional(),
  to: dateParameter.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** `layerChanged` hears of each restore before it is answered, as writeRoutes' writes. */
export function auditRoutes(pool: pg.Pool, layerChanged: LayerChangeListener): Router {
  const router = Router();

  router.get('/api/features/:layer/:featureId/history', async (request, response) => {
    // Staff names and every past state: for signed-in users, even where the map is public.
    requireUser(request);
    const layer = layerOrNotFound(request.params.layer);
    const id = featureIdOrNotFound(layer, request.params.featureId);
    const { rows } = await pool.query(`SELECT 1 FROM ${identifier(layer.table)} WHERE id = $1`, [id]);
    if (rows.length === 0) throw notFound(`${layer.id} has no feature ${id}.`);
    response.json({ layer: layer.id, featureId: id, entries: await featureHistory(pool, layer.id, id) });
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
