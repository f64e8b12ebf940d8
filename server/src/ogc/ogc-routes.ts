import { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { notFound } from '../http/problem.ts';
import { layers, type LayerDefinition } from '../registry/layers.ts';
import type { LayerExtents } from '../tiles/layer-extents.ts';
import { baseUrlOf } from '../tiles/tile-routes.ts';
import { isFiltered, itemSql, itemsSql, matchedCountSql, parseItemsQuery, type ItemsQuery } from './items-query.ts';
import { featureIdOrNotFound, layerOrNotFound } from './feature-params.ts';

const crs84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const gregorian = 'http://www.opengis.net/def/uri/ISO-8601/0/Gregorian';

export const conformanceClasses = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];

async function collectionDocument(layer: LayerDefinition, base: string, extents: LayerExtents) {
  const { bounds, interval } = await extents.extentOf(layer);
  return {
    id: layer.id,
    title: layer.title.en,
    description: `${layer.title.zh} / ${layer.title.en}`,
    itemType: 'feature',
    crs: [crs84],
    extent: {
      spatial: { bbox: [bounds], crs: crs84 },
      ...(interval ? { temporal: { interval: [interval.map((end) => end.toISOString())], trs: gregorian } } : {}),
    },
    links: [
      { href: `${base}/ogc/collections/${layer.id}`, rel: 'self', type: 'application/json', title: layer.title.en },
      { href: `${base}/ogc/collections/${layer.id}/items`, rel: 'items', type: 'application/geo+json', title: layer.title.en },
      { href: `${base}/tiles/${layer.id}.json`, rel: 'describedby', type: 'application/json', title: 'TileJSON' },
    ],
  };
}

/** The same request with other paging, for next and prev links. */
function pageLink(request: Request, base: string, offset: number): string {
  const url = new URL(request.originalUrl, base);
  url.searchParams.set('offset', String(offset));
  return url.toString();
}

/** Rows fetched from the cursor at a time: a large page is written as it is read. */
const streamBatch = 1000;

/** Yields the page's features as GeoJSON text, in batches through a cursor when the page is large. */
async function* featuresOf(pool: pg.Pool, statement: { text: string; values: unknown[] }, pageSize: number): AsyncGenerator<string[]> {
  if (pageSize <= streamBatch) {
    yield (await pool.query<{ feature: string }>(statement)).rows.map((row) => row.feature);
    return;
  }
  const client = await pool.connect();
  let finished = false;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query({ text: `DECLARE page_cursor NO SCROLL CURSOR FOR ${statement.text}`, values: statement.values });
    for (;;) {
      const { rows } = await client.query<{ feature: string }>(`FETCH ${streamBatch} FROM page_cursor`);
      if (rows.length > 0) yield rows.map((row) => row.feature);
      if (rows.length < streamBatch) break;
    }
    await client.query('COMMIT');
    finished = true;
  } finally {
    // A client that went away mid-page leaves the transaction open: end it before reuse.
    if (!finished) await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}

/** How long a client may stop reading a large page before it is dropped, freeing its cursor. */
const stalledReaderMs = 30_000;

/**
 * Writes, waiting for the socket to drain when the client reads slower than we produce.
 * Resolves false when the client went away or stalled: the caller stops, and the cursor's
 * transaction ends instead of holding a connection for a reader that is not reading.
 */
async function write(response: Response, text: string): Promise<boolean> {
  if (response.destroyed) return false;
  if (response.write(text)) return true;
  return new Promise((resolve) => {
    const finish = (drained: boolean) => {
      clearTimeout(timer);
      response.off('drain', onDrain);
      response.off('close', onClose);
      if (!drained) response.destroy();
      resolve(drained);
    };
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    const timer = setTimeout(() => finish(false), stalledReaderMs);
    response.on('drain', onDrain);
    response.on('close', onClose);
  });
}

/** Counting stops here: past it numberMatched is left out rather than paid for. */
const countedUpTo = 100_000;

/**
 * numberMatched where it comes cheap, else undefined (OGC API Features lets it be left out):
 * from the page itself when the page reaches the end; from the layer's remembered extent when
 * nothing is filtered; and for a filtered query, counted on its first page only, up to
 * countedUpTo. A client paging through a filter (GDAL with a spatial filter, ten at a time)
 * would otherwise pay a full count for every page.
 */
async function numberMatchedOf(
  pool: pg.Pool,
  extents: LayerExtents,
  layer: LayerDefinition,
  query: ItemsQuery,
  page: { returned: number; more: boolean },
): Promise<number | undefined> {
  if (!page.more && (page.returned > 0 || query.offset === 0)) return query.offset + page.returned;
  if (!isFiltered(query)) return (await extents.extentOf(layer)).featureCount;
  if (query.offset > 0) return undefined;
  const { rows } = await pool.query<{ matched: number }>(matchedCountSql(layer, query, countedUpTo));
  const matched = rows[0]!.matched;
  return matched < countedUpTo ? matched : undefined;
}

async function sendItems(request: Request, response: Response, pool: pg.Pool, extents: LayerExtents, layer: LayerDefinition, query: ItemsQuery) {
  const base = baseUrlOf(request);
  const links = [
    { href: new URL(request.originalUrl, base).toString(), rel: 'self', type: 'application/geo+json' },
    { href: `${base}/ogc/collections/${layer.id}`, rel: 'collection', type: 'application/json' },
  ];
  const opening = '{"type":"FeatureCollection","features":[';
  // The opening goes out with the first features, or with the end when the page has none.
  let opened = false;
  let returned = 0;
  let more = false;
  // Nothing is sent before the first write; an error before it still becomes problem+json.
  response.type('application/geo+json');
  // Features arrive as GeoJSON text from PostGIS and are written out as they are, unparsed.
  for await (const batch of featuresOf(pool, itemsSql(layer, query), query.limit)) {
    // The statement reads one row past the page: it only says that a next page exists.
    const onPage = batch.slice(0, query.limit - returned);
    if (onPage.length < batch.length) more = true;
    if (onPage.length === 0) continue;
    // Leaving the loop early ends the cursor's transaction (see featuresOf's finally).
    if (!(await write(response, (opened ? ',' : opening) + onPage.join(',')))) return;
    opened = true;
    returned += onPage.length;
  }
  const numberMatched = await numberMatchedOf(pool, extents, layer, query, { returned, more });
  if (more) links.push({ href: pageLink(request, base, query.offset + query.limit), rel: 'next', type: 'application/geo+json' });
  if (query.offset > 0) links.push({ href: pageLink(request, base, Math.max(0, query.offset - query.limit)), rel: 'prev', type: 'application/geo+json' });
  response.end(
    `${opened ? '' : opening}]${numberMatched === undefined ? '' : `,"numberMatched":${numberMatched}`},"numberReturned":${returned},` +
      `"timeStamp":${JSON.stringify(new Date().toISOString())},"links":${JSON.stringify(links)}}`,
  );
}

export function ogcRoutes(pool: pg.Pool, extents: LayerExtents): Router {
  const router = Router();

  router.get('/ogc', (request, response) => {
    const base = baseUrlOf(request);
    response.json({
      title: 'City Operations Map — OGC API Features',
      description: '城市管理一张图：背街小巷、路灯、便民疏导点、垃圾死角与案件',
      links: [
        { href: `${base}/ogc`, rel: 'self', type: 'application/json', title: 'This document' },
        { href: `${base}/api/openapi.json`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'API definition' },
        { href: `${base}/ogc/conformance`, rel: 'conformance', type: 'application/json', title: 'Conformance' },
        { href: `${base}/ogc/collections`, rel: 'data', type: 'application/json', title: 'Collections' },
      ],
    });
  });

  router.get('/ogc/conformance', (_request, response) => {
    response.json({ conformsTo: conformanceClasses });
  });

  router.get('/ogc/collections', async (request, response) => {
    const base = baseUrlOf(request);
    const collections = await Promise.all(layers.map((layer) => collectionDocument(layer, base, extents)));
    response.json({
      links: [{ href: `${base}/ogc/collections`, rel: 'self', type: 'application/json' }],
      collections,
    });
  });

  router.get('/ogc/collections/:collectionId', async (request, response) => {
    const layer = layerOrNotFound(request.params.collectionId);
    response.json(await collectionDocument(layer, baseUrlOf(request), extents));
  });

  router.get('/ogc/collections/:collectionId/items', async (request, response) => {
    const layer = layerOrNotFound(request.params.collectionId);
    const query = parseItemsQuery(layer, request.query as Record<string, unknown>);
    await sendItems(request, response, pool, extents, layer, query);
  });

  router.get('/ogc/collections/:collectionId/items/:featureId', async (request, response) => {
    const layer = layerOrNotFound(request.params.collectionId);
    const featureId = featureIdOrNotFound(layer, request.params.featureId);
    const { rows } = await pool.query<{ feature: string; version: number }>(itemSql(layer), [featureId]);
    const row = rows[0];
    if (!row) throw notFound(`${layer.id} has no feature ${JSON.stringify(request.params.featureId)}.`);
    response.set('ETag', `"${row.version}"`).type('application/geo+json').send(row.feature);
  });

  return router;
}
