import { Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { forbidden, requireUser } from '../auth/authenticate.ts';
import { isInstantWithin } from '../http/instants.ts';
import { badRequest, invalidParamsOf, notFound } from '../http/problem.ts';
import { featureIdOrNotFound, layerOrNotFound } from '../ogc/feature-params.ts';
import { featureExists } from '../ogc/feature-writes.ts';
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

/** A feature's history and the change log across layers; restoring a version is a write (write-routes.ts). */
export function auditRoutes(pool: pg.Pool): Router {
  const router = Router();

  router.get('/api/features/:layer/:featureId/history', async (request, response) => {
    // Staff names and every past state: for signed-in users, even where the map is public.
    requireUser(request);
    const layer = layerOrNotFound(request.params.layer);
    const id = featureIdOrNotFound(layer, request.params.featureId);
    if (!(await featureExists(pool, layer, id))) throw notFound(`${layer.id} has no feature ${id}.`);
    response.json({ layer: layer.id, featureId: id, entries: await featureHistory(pool, layer.id, id) });
  });

  router.get('/api/audit', async (request, response) => {
    const user = requireUser(request);
    if (user.role !== 'admin') throw forbidden('Only an admin may read the change log across layers.');
    const parsed = recentChangesQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      throw badRequest('The query parameters are not valid.', invalidParamsOf(parsed.error));
    }
    const { user: username, ...rest } = parsed.data;
    response.json({ entries: await recentChanges(pool, { username, ...rest }) });
  });

  return router;
}
