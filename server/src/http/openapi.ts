import { Router } from 'express';
import { createRequire } from 'node:module';
import path from 'node:path';
import express from 'express';
import { z } from 'zod';
import { filterSchemaFor, itemsParameterSchemas } from '../ogc/items-query.ts';
import { layers, type LayerDefinition } from '../registry/layers.ts';
import { tileParameterSchemas } from '../tiles/tile-routes.ts';

type JsonSchema = Record<string, unknown>;

/** OpenAPI 3.0 parameter schema from the zod schema that validates the parameter. */
function schemaOf(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'output', target: 'openapi-3.0', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parameter(name: string, where: 'path' | 'query', schema: z.ZodType, required = where === 'path') {
  const json = schemaOf(schema);
  const { description, ...rest } = json;
  return { name, in: where, required, description, schema: rest, ...(name === 'bbox' ? { style: 'form', explode: false } : {}) };
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const jsonResponse = (description: string, type = 'application/json') => ({ description, content: { [type]: { schema: { type: 'object' } } } });

const layerIdSchema = z.enum(layers.map((layer) => layer.id) as [string, ...string[]]).describe('A layer of GET /api/layers');

function itemsPath(layer: LayerDefinition) {
  const common = Object.entries(itemsParameterSchemas)
    .filter(([name]) => name !== 'datetime' || layer.timeField)
    .map(([name, schema]) => parameter(name, 'query', schema));
  const filters = layer.fields.flatMap((field) => {
    const schema = filterSchemaFor(field);
    return schema ? [parameter(field.name, 'query', schema)] : [];
  });
  return {
    get: {
      tags: ['OGC API - Features'],
      summary: `${layer.title.en} (${layer.title.zh}): features`,
      operationId: `getItems_${layer.id}`,
      parameters: [...common, ...filters],
      responses: {
        200: jsonResponse('A GeoJSON FeatureCollection, with next and prev links', 'application/geo+json'),
        400: problemResponse('A parameter is not valid: the problem lists each'),
      },
    },
  };
}

/** The API description, built from the registry and from the schemas that validate requests. */
export function openApiDocument() {
  const featureIdParameter = { name: 'featureId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
  const paths: Record<string, unknown> = {
    '/api/health': { get: { tags: ['Service'], summary: 'Health and database engine', operationId: 'getHealth', responses: { 200: jsonResponse('Healthy'), 503: problemResponse('The database does not answer') } } },
    '/api/layers': { get: { tags: ['Service'], summary: 'The layer registry', operationId: 'getLayers', responses: { 200: jsonResponse('Layers with fields, zoom ranges and tile URLs') } } },
    '/api/openapi.json': { get: { tags: ['Service'], summary: 'This document', operationId: 'getOpenApi', responses: { 200: jsonResponse('OpenAPI 3.0') } } },
    '/tiles/{layer}/{z}/{x}/{y}.mvt': {
      get: {
        tags: ['Vector tiles'],
        summary: 'A Mapbox Vector Tile with one source layer named after the layer',
        operationId: 'getTile',
        parameters: [
          parameter('layer', 'path', layerIdSchema),
          parameter('z', 'path', tileParameterSchemas.z),
          parameter('x', 'path', tileParameterSchemas.x),
          parameter('y', 'path', tileParameterSchemas.y),
        ],
        responses: {
          200: { description: 'The tile; empty where there is nothing', content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } } } },
          304: { description: 'Not modified (If-None-Match)' },
          400: problemResponse('z, x or y out of range'),
          404: problemResponse('No such layer'),
        },
      },
    },
    '/tiles/{layer}.json': {
      get: { tags: ['Vector tiles'], summary: 'TileJSON 3.0.0', operationId: 'getTileJson', parameters: [parameter('layer', 'path', layerIdSchema)], responses: { 200: jsonResponse('TileJSON'), 404: problemResponse('No such layer') } },
    },
    '/ogc': { get: { tags: ['OGC API - Features'], summary: 'Landing page', operationId: 'getLandingPage', responses: { 200: jsonResponse('Links') } } },
    '/ogc/conformance': { get: { tags: ['OGC API - Features'], summary: 'Conformance classes', operationId: 'getConformance', responses: { 200: jsonResponse('conformsTo') } } },
    '/ogc/collections': { get: { tags: ['OGC API - Features'], summary: 'Collections, one per layer', operationId: 'getCollections', responses: { 200: jsonResponse('Collections with extents') } } },
  };
  for (const layer of layers) {
    paths[`/ogc/collections/${layer.id}`] = {
      get: { tags: ['OGC API - Features'], summary: `${layer.title.en} (${layer.title.zh})`, operationId: `describeCollection_${layer.id}`, responses: { 200: jsonResponse('The collection') } },
    };
    paths[`/ogc/collections/${layer.id}/items`] = itemsPath(layer);
    paths[`/ogc/collections/${layer.id}/items/{featureId}`] = {
      get: {
        tags: ['OGC API - Features'],
        summary: `${layer.title.en}: one feature`,
        operationId: `getItem_${layer.id}`,
        parameters: [featureIdParameter],
        responses: { 200: jsonResponse('A GeoJSON Feature with an ETag of its version', 'application/geo+json'), 404: problemResponse('No such feature') },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'City Operations Map API',
      version: '0.1.0',
      description: '城市管理一张图: vector tiles and OGC API - Features for alleys, street lighting, vendor zones, trash hotspots and cases.',
    },
    paths,
    components: {
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            'invalid-params': { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, reason: { type: 'string' } } } },
          },
          required: ['title', 'status'],
        },
      },
    },
  };
}

const swaggerUiDirectory = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>City Operations Map API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/start.js"></script>
</body></html>`;

export function openApiRoutes(): Router {
  const router = Router();
  const document = openApiDocument();
  router.get('/api/openapi.json', (_request, response) => {
    response.json(document);
  });
  router.get('/api/docs', (_request, response) => {
    response.type('html').send(docsPage);
  });
  // A script file rather than an inline one, so a strict Content-Security-Policy can forbid inline scripts.
  router.get('/api/docs/start.js', (_request, response) => {
    response.type('js').send(`SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs' });`);
  });
  router.use('/api/docs/assets', express.static(swaggerUiDirectory, { maxAge: '1d' }));
  return router;
}
