import { Router, type Request } from 'express';
import { z } from 'zod';
import { badRequest, notFound } from '../http/problem.ts';
import { findLayer, type LayerDefinition } from '../registry/layers.ts';
import type { TileAddress, TileEncoder } from './encoders.ts';
import type { LayerExtents } from './layer-extents.ts';
import { acceptsGzip, matchesIfNoneMatch, tileHeaders } from './cached-tile-answer.ts';
import { prepareTile, type PreparedTile, type TileCache } from './tile-cache.ts';

export const maxTileZoom = 22;

/** The tile path's numbers: they validate requests and describe them in /api/openapi.json. */
export const tileParameterSchemas = {
  z: z.coerce.number().int().min(0).max(maxTileZoom).describe('Zoom level'),
  x: z.coerce.number().int().min(0).describe('Column, from 0 to 2^z - 1'),
  y: z.coerce.number().int().min(0).describe('Row from the top, from 0 to 2^z - 1'),
};

/** z/x/y from the path, checked against the tile pyramid; any fault names the parameter. */
export function parseTileAddress(params: Record<string, string | undefined>): TileAddress {
  const problems: { name: string; reason: string }[] = [];
  const read = (name: 'z' | 'x' | 'y') => {
    // Only plain digits: Number() would also take '1e1', '0x10' or ' 3 '.
    const parsed = /^\d{1,8}$/.test(params[name] ?? '') ? tileParameterSchemas[name].safeParse(params[name]) : undefined;
    if (!parsed?.success) {
      const detail = parsed?.error.issues.map((issue) => issue.message).join('; ') ?? 'must be a whole number';
      problems.push({ name, reason: `${name}: ${detail}, got ${JSON.stringify(params[name])}` });
      return undefined;
    }
    return parsed.data;
  };
  const z = read('z');
  const x = read('x');
  const y = read('y');
  if (z !== undefined) {
    const tilesPerSide = 2 ** z;
    if (x !== undefined && x >= tilesPerSide) problems.push({ name: 'x', reason: `x must be below 2^z = ${tilesPerSide}` });
    if (y !== undefined && y >= tilesPerSide) problems.push({ name: 'y', reason: `y must be below 2^z = ${tilesPerSide}` });
  }
  if (problems.length > 0 || z === undefined || x === undefined || y === undefined) {
    throw badRequest('The tile address is not valid.', problems);
  }
  return { z, x, y };
}

function layerOrNotFound(id: string | undefined): LayerDefinition {
  const layer = id === undefined ? undefined : findLayer(id);
  if (!layer) throw notFound(`There is no layer named ${JSON.stringify(id)}. GET /api/layers lists them.`);
  return layer;
}

export function baseUrlOf(request: Request): string {
  return `${request.protocol}://${request.get('host')}`;
}

const emptyTile = prepareTile(Buffer.alloc(0));

interface InFlightTile {
  /** The layer's cache generation when the encode began. */
  generation: number;
  tile: Promise<PreparedTile>;
}

/**
 * Tiles from the cache when it has them; otherwise encoded once however many requests ask for
 * the same tile at the same moment. An encode that began before the layer last changed is
 * neither shared with later requests nor stored: it may hold the data from before the change.
 */
function tileSource(encoder: TileEncoder, cache: TileCache | undefined) {
  const inFlight = new Map<string, InFlightTile>();
  return async (layer: LayerDefinition, address: TileAddress): Promise<PreparedTile> => {
    if (address.z < layer.minzoom || address.z > layer.maxzoom) return emptyTile;
    const cached = cache?.get(layer.id, address);
    if (cached) return cached;
    const key = `${layer.id}/${address.z}/${address.x}/${address.y}`;
    // Read before the query starts: a change committed after this moment moves the generation.
    const generation = cache?.generationOf(layer.id) ?? 0;
    const pending = inFlight.get(key);
    if (pending && pending.generation === generation) return pending.tile;
    const encoding: InFlightTile = {
      generation,
      tile: encoder
        .encode(layer, address)
        .then(prepareTile)
        .then((tile) => {
          cache?.set(layer.id, address, tile, generation);
          return tile;
        })
        .finally(() => {
          if (inFlight.get(key) === encoding) inFlight.delete(key);
        }),
    };
    inFlight.set(key, encoding);
    return encoding.tile;
  };
}

export function tileRoutes(encoder: TileEncoder, extents: LayerExtents, cache?: TileCache): Router {
  const router = Router();
  const tileFor = tileSource(encoder, cache);

  router.get('/tiles/:layer.json', async (request, response) => {
    const layer = layerOrNotFound(request.params.layer);
    const bounds = await extents.boundsOf(layer);
    response.json({
      tilejson: '3.0.0',
      name: layer.title.en,
      description: `${layer.title.zh} / ${layer.title.en}`,
      scheme: 'xyz',
      tiles: [`${baseUrlOf(request)}/tiles/${layer.id}/{z}/{x}/{y}.mvt`],
      minzoom: layer.minzoom,
      maxzoom: layer.maxzoom,
      bounds,
      center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, Math.max(layer.minzoom, 12)],
      vector_layers: [
        {
          id: layer.id,
          description: layer.title.en,
          minzoom: layer.minzoom,
          maxzoom: layer.maxzoom,
          fields: Object.fromEntries(layer.fields.map((field) => [field.name, field.type === 'number' || field.type === 'integer' ? 'Number' : 'String'])),
        },
      ],
    });
  });

  router.get('/tiles/:layer/:z/:x/:y.mvt', async (request, response) => {
    const layer = layerOrNotFound(request.params.layer);
    const address = parseTileAddress(request.params);
    const tile = await tileFor(layer, address);
    response.set({ ...tileHeaders, ETag: tile.etag });
    if (matchesIfNoneMatch(request, tile.etag)) {
      response.status(304).end();
      return;
    }
    if (tile.gzipped && acceptsGzip(request)) {
      response.set('Content-Encoding', 'gzip').send(tile.gzipped);
      return;
    }
    response.send(tile.raw);
  });

  return router;
}
