import { Router } from 'express';
import { createRequire } from 'node:module';
import path from 'node:path';
import express from 'express';
import { z } from 'zod';
import { recentChangesQuerySchema } from '../audit/audit-routes.ts';
import { loginBodySchema, tokenBodySchema } from '../auth/auth-routes.ts';
import { acceptedGeometry, maxVertices } from '../ogc/feature-input.ts';
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

/** A layer's writable feature, from the same registry rules the write validation applies. */
function featureBodySchemaFor(layer: LayerDefinition): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of layer.fields.filter((candidate) => !candidate.derived)) {
    const type = { string: 'string', number: 'number', integer: 'integer', boolean: 'boolean', datetime: 'string', date: 'string', time: 'string' }[field.type];
    const needed = field.optional ? 'optional' : field.defaultValue !== undefined ? `defaults to ${JSON.stringify(field.defaultValue)} when a new feature leaves it out` : 'required';
    properties[field.name] = {
      type,
      ...(field.optional ? { nullable: true } : {}),
      description: `${field.title.en} (${field.title.zh}); ${needed}`,
      ...(field.values ? { enum: field.values.map((allowed) => allowed.value) } : {}),
      // OpenAPI 3.0 spells strict bounds as a flag beside the bound.
      ...(field.minimum !== undefined ? { minimum: field.minimum } : {}),
      ...(field.exclusiveMinimum !== undefined ? { minimum: field.exclusiveMinimum, exclusiveMinimum: true } : {}),
      ...(field.maximum !== undefined ? { maximum: field.maximum } : {}),
      ...(field.exclusiveMaximum !== undefined ? { maximum: field.exclusiveMaximum, exclusiveMaximum: true } : {}),
      ...(field.type === 'datetime' ? { format: 'date-time' } : field.type === 'date' ? { format: 'date' } : field.type === 'time' ? { pattern: '^\\d{2}:\\d{2}$' } : {}),
    };
  }
  return {
    type: 'object',
    required: ['type'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      geometry: {
        type: 'object',
        description: `WGS 84, inside the city, valid (ST_IsValid), at most ${maxVertices} vertices`,
        properties: { type: { type: 'string', enum: acceptedGeometry[layer.geometryType] }, coordinates: { type: 'array', items: {} } },
        required: ['type', 'coordinates'],
      },
      properties: { type: 'object', properties, additionalProperties: false },
    },
  };
}

const writeResponses = {
  400: problemResponse('The body is not a GeoJSON Feature'),
  401: problemResponse('Not signed in'),
  403: problemResponse('This role may not edit the layer, or the CSRF token is missing'),
  422: problemResponse('The feature cannot be stored: each problem is named'),
};

const ifMatchParameter = { name: 'If-Match', in: 'header', required: true, description: 'The ETag of the version being edited', schema: { type: 'string' } };

function body(schema: JsonSchema, type = 'application/json') {
  return { required: true, content: { [type]: { schema } } };
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
    '/api/auth/login': {
      post: {
        tags: ['Accounts'],
        summary: 'Sign in: sets an httpOnly session cookie and returns the CSRF token for writes',
        operationId: 'login',
        requestBody: body(schemaOf(loginBodySchema)),
        responses: { 200: jsonResponse('The user, the CSRF token and the expiry'), 400: problemResponse('Malformed body'), 401: problemResponse('Wrong username or password'), 429: problemResponse('Too many failed sign-ins') },
      },
    },
    '/api/auth/logout': { post: { tags: ['Accounts'], summary: 'Sign out', operationId: 'logout', responses: { 204: { description: 'Signed out' } } } },
    '/api/auth/me': { get: { tags: ['Accounts'], summary: 'Who is signed in', operationId: 'me', responses: { 200: jsonResponse('The user and CSRF token'), 401: problemResponse('Not signed in') } } },
    '/api/auth/tokens': {
      get: { tags: ['Accounts'], summary: 'Your API tokens, without their secrets', operationId: 'listTokens', responses: { 200: jsonResponse('Tokens, newest first'), 401: problemResponse('Not signed in') } },
      post: {
        tags: ['Accounts'],
        summary: 'Create an API token (shown once) for scripts; needs a signed-in session, not another token',
        operationId: 'createToken',
        requestBody: body(schemaOf(tokenBodySchema)),
        responses: { 201: jsonResponse('The token'), 401: problemResponse('Not signed in'), 403: problemResponse('Asked with an API token, or without the CSRF token') },
      },
    },
    '/api/auth/tokens/{tokenId}': {
      delete: { tags: ['Accounts'], summary: 'Revoke an API token', operationId: 'revokeToken', parameters: [{ name: 'tokenId', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 204: { description: 'Revoked' }, 404: problemResponse('No such token') } },
    },
    '/api/features/{layer}/{featureId}/history': {
      get: {
        tags: ['Editing'],
        summary: "A feature's versions: who changed what, when, before and after",
        operationId: 'featureHistory',
        parameters: [parameter('layer', 'path', layerIdSchema), featureIdParameter],
        responses: { 200: jsonResponse('Entries, newest first'), 401: problemResponse('Not signed in'), 404: problemResponse('No such layer or feature') },
      },
    },
    '/api/features/{layer}/{featureId}/restore/{version}': {
      post: {
        tags: ['Editing'],
        summary: 'Bring an earlier version back, as a new audited write',
        operationId: 'restoreVersion',
        parameters: [parameter('layer', 'path', layerIdSchema), featureIdParameter, { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }, ifMatchParameter],
        responses: {
          200: jsonResponse('The feature as restored', 'application/geo+json'),
          401: writeResponses[401],
          403: writeResponses[403],
          404: problemResponse('No such version'),
          412: problemResponse('The feature changed since that ETag'),
          428: problemResponse('If-Match is missing'),
        },
      },
    },
    '/api/audit': {
      get: {
        tags: ['Editing'],
        summary: 'Recent changes across layers (admin)',
        operationId: 'recentChanges',
        parameters: Object.entries(recentChangesQuerySchema.shape).map(([name, schema]) => parameter(name, 'query', schema)),
        responses: { 200: jsonResponse('Entries, newest first'), 400: problemResponse('A filter is not valid'), 403: problemResponse('Admins only') },
      },
    },
    '/ogc': { get: { tags: ['OGC API - Features'], summary: 'Landing page', operationId: 'getLandingPage', responses: { 200: jsonResponse('Links') } } },
    '/ogc/conformance': { get: { tags: ['OGC API - Features'], summary: 'Conformance classes', operationId: 'getConformance', responses: { 200: jsonResponse('conformsTo') } } },
    '/ogc/collections': { get: { tags: ['OGC API - Features'], summary: 'Collections, one per layer', operationId: 'getCollections', responses: { 200: jsonResponse('Collections with extents') } } },
  };
  for (const layer of layers) {
    paths[`/ogc/collections/${layer.id}`] = {
      get: { tags: ['OGC API - Features'], summary: `${layer.title.en} (${layer.title.zh})`, operationId: `describeCollection_${layer.id}`, responses: { 200: jsonResponse('The collection') } },
    };
    const items = itemsPath(layer) as Record<string, unknown>;
    const one: Record<string, unknown> = {
      get: {
        tags: ['OGC API - Features'],
        summary: `${layer.title.en}: one feature`,
        operationId: `getItem_${layer.id}`,
        parameters: [featureIdParameter],
        responses: { 200: jsonResponse('A GeoJSON Feature with an ETag of its version', 'application/geo+json'), 404: problemResponse('No such feature') },
      },
    };
    if (layer.editableBy.length > 0) {
      const editors = ['admin', ...layer.editableBy].join(', ');
      items.post = {
        tags: ['Editing'],
        summary: `${layer.title.en}: create a feature (${editors})`,
        operationId: `createItem_${layer.id}`,
        requestBody: body(featureBodySchemaFor(layer), 'application/geo+json'),
        responses: { 201: jsonResponse('Created; Location and ETag headers', 'application/geo+json'), ...writeResponses },
      };
      for (const [method, summary] of [['put', 'replace'], ['patch', 'change part of']] as const) {
        one[method] = {
          tags: ['Editing'],
          summary: `${layer.title.en}: ${summary} a feature (${editors})`,
          operationId: `${method}Item_${layer.id}`,
          parameters: [featureIdParameter, ifMatchParameter],
          requestBody: body(featureBodySchemaFor(layer), method === 'patch' ? 'application/merge-patch+json' : 'application/geo+json'),
          responses: {
            200: jsonResponse('The feature as stored, with its new ETag', 'application/geo+json'),
            ...writeResponses,
            404: problemResponse('No such feature'),
            412: problemResponse('The feature changed since that ETag'),
            428: problemResponse('If-Match is missing'),
          },
        };
      }
      one.delete = {
        tags: ['Editing'],
        summary: `${layer.title.en}: delete a feature (kept, hidden, restorable)`,
        operationId: `deleteItem_${layer.id}`,
        parameters: [featureIdParameter, ifMatchParameter],
        responses: { 204: { description: 'Deleted' }, 401: writeResponses[401], 403: writeResponses[403], 412: problemResponse('The feature changed since that ETag'), 428: problemResponse('If-Match is missing') },
      };
    }
    paths[`/ogc/collections/${layer.id}/items`] = items;
    paths[`/ogc/collections/${layer.id}/items/{featureId}`] = one;
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
