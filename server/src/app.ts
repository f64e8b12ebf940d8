import { existsSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { authRoutes } from './auth/auth-routes.ts';
import { authenticate, readGate } from './auth/authenticate.ts';
import type { Logger } from 'pino';
import type { Database } from './db/database.ts';
import type { LayerChange } from './db/layer-changes.ts';
import { healthRoutes } from './http/health-routes.ts';
import { openApiRoutes } from './http/openapi.ts';
import { notFound, problemHandler } from './http/problem.ts';
import { ogcRoutes } from './ogc/ogc-routes.ts';
import { writeRoutes } from './ogc/write-routes.ts';
import { auditRoutes } from './audit/audit-routes.ts';
import { layerRoutes } from './registry/layer-routes.ts';
import type { TileEncoder } from './tiles/encoders.ts';
import { layerExtents, type LayerExtents } from './tiles/layer-extents.ts';
import type { TileCache } from './tiles/tile-cache.ts';
import { cachedTileAnswerer } from './tiles/cached-tile-answer.ts';
import { tileRoutes } from './tiles/tile-routes.ts';

export const builtClientDirectory = fileURLToPath(new URL('../../dist/client/', import.meta.url));

export interface AppDependencies {
  database: Database;
  tileEncoder: TileEncoder;
  logger: Logger;
  /** Finished tiles kept in memory; absent means every tile is encoded anew. */
  tileCache?: TileCache;
  /** Whether maps and features may be read without signing in (default yes). */
  anonymousReads?: boolean;
  /** Layer bounds for metadata; made here when not given. */
  extents?: LayerExtents;
  /** The built client to serve at /, when there is one. */
  clientDirectory?: string;
}

/** Drops what a layer change makes stale: the cached tiles under its boxes and the layer's extent. */
function staleDataDropper(tileCache: TileCache | undefined, extents: LayerExtents, logger: Logger) {
  return (change: LayerChange) => {
    const dropped = tileCache?.invalidate(change.layer, change.boxes) ?? 0;
    extents.forget(change.layer);
    logger.debug({ layer: change.layer, boxes: change.boxes, dropped }, 'layer changed');
  };
}

/**
 * The HTTP request listener: cached tiles straight from memory, everything else through Express.
 * Resolves once it hears of every layer change, so no edit can leave a stale tile behind: the
 * server's own writes drop their tiles before answering, and notifications cover the rest.
 */
export async function createRequestListener(dependencies: AppDependencies): Promise<RequestListener> {
  const extents = layerExtents(dependencies.database.pool);
  const { tileCache, logger, anonymousReads = true } = dependencies;
  await dependencies.database.layerChanges.subscribe(staleDataDropper(tileCache, extents, logger), () => {
    tileCache?.clear();
    extents.forgetAll();
    logger.info('layer changes may have gone unheard: cached tiles and extents dropped');
  });
  const app = createApp({ ...dependencies, anonymousReads, extents });
  // The fast path knows no sessions: it may only answer where anyone may read.
  const answerFromCache = tileCache && anonymousReads ? cachedTileAnswerer(tileCache) : undefined;
  return (request, response) => {
    if (answerFromCache?.(request, response)) return;
    app(request, response);
  };
}

/** Helmet's defaults, with what the map needs: its workers come from blob: URLs, and MapLibre and
 *  React set inline styles. Everything else, scripts included, only from our own origin. */
function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'worker-src': ["'self'", 'blob:'],
        'child-src': ["'self'", 'blob:'],
        'img-src': ["'self'", 'data:', 'blob:'],
        'style-src': ["'self'", "'unsafe-inline'"],
        'connect-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': null,
      },
    },
    // The console runs on plain http on a LAN as often as behind https.
    strictTransportSecurity: false,
  });
}

export function createApp({
  database,
  tileEncoder,
  tileCache,
  logger,
  clientDirectory,
  anonymousReads = true,
  extents = layerExtents(database.pool),
}: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders());
  // No CORS headers are ever sent: other origins cannot read the API from a browser.
  app.use(express.json({ limit: '2mb', type: ['application/json', 'application/geo+json', 'application/merge-patch+json'] }));
  app.use(authenticate(database.pool));
  app.use(readGate(anonymousReads));
  app.use(authRoutes(database.pool, { secureCookies: (request) => request.secure }));

  app.use(healthRoutes(database));
  app.use(layerRoutes());
  app.use(openApiRoutes());
  app.use(tileRoutes(tileEncoder, extents, tileCache));
  app.use(ogcRoutes(database.pool, extents));
  const layerChanged = staleDataDropper(tileCache, extents, logger);
  app.use(writeRoutes(database.pool, extents, layerChanged));
  app.use(auditRoutes(database.pool));

  if (clientDirectory && existsSync(path.join(clientDirectory, 'index.html'))) {
    app.use(express.static(clientDirectory, { index: false, maxAge: '1h' }));
    // The console's own URLs load the app; API paths never do, so they keep their 404s.
    app.get('/{*path}', (request, response, next) => {
      if (/^\/(api|tiles|ogc)(\/|$)/.test(request.path)) return next();
      response.set('Cache-Control', 'no-cache').sendFile(path.join(clientDirectory, 'index.html'));
    });
  }

  app.use((request, _response, next) => {
    next(notFound(`No route for ${request.method} ${request.originalUrl}.`));
  });
  app.use(problemHandler(logger));
  return app;
}
