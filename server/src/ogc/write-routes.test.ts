import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testUser, type SignedIn } from '../../test/accounts.ts';
import { startTestApp, type RunningApp } from '../../test/test-app.ts';
import { layers, type LayerDefinition } from '../registry/layers.ts';
import { Random } from '../../../data/demo-city/random.ts';
import { identifier } from '../tiles/tile-sql.ts';

let app: RunningApp;
let admin: SignedIn;
let viewer: SignedIn;
beforeAll(async () => {
  app = await startTestApp();
  const adminUser = await testUser(app.database.pool, 'admin');
  const viewerUser = await testUser(app.database.pool, 'viewer');
  admin = await signIn(app.baseUrl, adminUser.username, adminUser.password);
  viewer = await signIn(app.baseUrl, viewerUser.username, viewerUser.password);
});
/** What these tests created, removed at the end: other test files expect the seeded city as it was. */
const createdFeatures: { layer: string; id: number }[] = [];
afterAll(async () => {
  for (const { layer, id } of createdFeatures) {
    await app.database.pool.query(`DELETE FROM ${identifier(layers.find((candidate) => candidate.id === layer)!.table)} WHERE id = $1`, [id]);
    await app.database.pool.query('DELETE FROM audit_log WHERE layer = $1 AND feature_id = $2', [layer, id]);
  }
  await app.close();
});

const writableLayers = layers.filter((layer) => layer.editableBy.length > 0);

/** A small valid geometry of the layer's type near the city centre. */
function geometryFor(layer: LayerDefinition, offset = 0) {
  const [x, y] = [117.001 + offset, 36.661];
  switch (layer.geometryType) {
    case 'Point':
      return { type: 'Point', coordinates: [x, y] };
    case 'LineString':
      return { type: 'LineString', coordinates: [[x, y], [x + 0.001, y], [x + 0.001, y + 0.0005]] };
    default:
      return { type: 'Polygon', coordinates: [[[x, y], [x + 0.0003, y], [x + 0.0003, y + 0.0002], [x, y + 0.0002], [x, y]]] };
  }
}

/** Values every column will take, worked out from the registry's own rules. */
function propertiesFor(layer: LayerDefinition): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const field of layer.fields) {
    if (field.derived || field.name === 'road_id') continue;
    if (field.values) properties[field.name] = field.values[0]!.value;
    else if (field.type === 'number') properties[field.name] = Math.min(field.maximum ?? 5, 5);
    else if (field.type === 'integer') properties[field.name] = Math.max(field.minimum ?? 1, 1);
    else if (field.type === 'datetime') properties[field.name] = field.name === 'due_at' ? '2026-10-03T08:00:00Z' : '2026-10-01T08:00:00Z';
    else if (field.type === 'time') properties[field.name] = field.name === 'closes_at' ? '22:00' : '17:00';
    else properties[field.name] = `测试-${randomBytes(3).toString('hex')}`;
  }
  return properties;
}

const featureFor = (layer: LayerDefinition, offset = 0) => ({ type: 'Feature', geometry: geometryFor(layer, offset), properties: propertiesFor(layer) });

async function send(method: string, path: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${app.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const result = { status: response.status, etag: response.headers.get('etag'), type: response.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
  const created = /^\/ogc\/collections\/(\w+)\/items$/.exec(path);
  if (method === 'POST' && result.status === 201 && created) createdFeatures.push({ layer: created[1]!, id: result.body.id });
  return result;
}

/** Row and audit counts of a layer, with one feature's full state: what a rejected write must not move. */
async function stateOf(layer: LayerDefinition, featureId: number) {
  const { rows } = await app.database.pool.query(
    `SELECT (SELECT count(*)::int FROM ${identifier(layer.table)}) AS rows,
            (SELECT count(*)::int FROM audit_log WHERE layer = $1) AS audits,
            (SELECT to_jsonb(t) - 'geom_3857' FROM ${identifier(layer.table)} t WHERE id = $2) AS feature`,
    [layer.id, featureId],
  );
  return rows[0];
}

describe.each(writableLayers.map((layer) => [layer.id, layer] as const))('writing %s', (_id, layer) => {
  const items = `/ogc/collections/${layer.id}/items`;
  const editorRole = layer.editableBy[0]!;
  let editor: SignedIn;
  let otherRole: SignedIn;
  let existing: { id: number; etag: string };

  beforeAll(async () => {
    const editorUser = await testUser(app.database.pool, editorRole);
    editor = await signIn(app.baseUrl, editorUser.username, editorUser.password);
    const otherUser = await testUser(app.database.pool, editorRole === 'planner' ? 'lighting' : 'planner');
    otherRole = await signIn(app.baseUrl, otherUser.username, otherUser.password);
    const created = await send('POST', items, featureFor(layer), editor.writeHeaders);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    existing = { id: created.body.id, etag: created.etag! };
  });

  it('creates with 201, an ETag and an audit row; patches with If-Match', async () => {
    expect(existing.etag).toBe('"1"');
    const { rows } = await app.database.pool.query('SELECT action, version, after IS NOT NULL AS has_after FROM audit_log WHERE layer = $1 AND feature_id = $2', [layer.id, existing.id]);
    expect(rows).toEqual([{ action: 'create', version: 1, has_after: true }]);

    const patched = await send('PATCH', `${items}/${existing.id}`, { type: 'Feature', properties: {} , geometry: geometryFor(layer, 0.0001) }, { ...editor.writeHeaders, 'if-match': existing.etag });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.etag).toBe('"2"');
    existing.etag = patched.etag!;
  });

  it.each([
    ['anonymous', 401, () => ({ 'content-type': 'application/json' })],
    ['a role that may not edit it', 403, () => otherRole.writeHeaders],
    ['a viewer', 403, () => viewer.writeHeaders],
  ])('refuses %s with %i and changes nothing', async (_who, status, headers) => {
    const before = await stateOf(layer, existing.id);
    expect((await send('POST', items, featureFor(layer), headers())).status).toBe(status);
    expect((await send('PATCH', `${items}/${existing.id}`, { type: 'Feature', properties: {} }, { ...headers(), 'if-match': existing.etag })).status).toBe(status);
    expect((await send('DELETE', `${items}/${existing.id}`, undefined, { ...headers(), 'if-match': existing.etag })).status).toBe(status);
    expect(await stateOf(layer, existing.id)).toEqual(before);
  });

  it('refuses a stale If-Match with 412 and a missing one with 428, changing nothing', async () => {
    const before = await stateOf(layer, existing.id);
    const stale = await send('PATCH', `${items}/${existing.id}`, featureFor(layer), { ...editor.writeHeaders, 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.type).toMatch(/^application\/problem\+json/);
    expect((await send('PUT', `${items}/${existing.id}`, featureFor(layer), editor.writeHeaders)).status).toBe(428);
    expect((await send('DELETE', `${items}/${existing.id}`, undefined, editor.writeHeaders)).status).toBe(428);
    expect(await stateOf(layer, existing.id)).toEqual(before);
  });

  const badGeometries: [string, unknown][] = [
    ['a position of NaN', { type: layer.geometryType === 'Point' ? 'Point' : 'LineString', coordinates: layer.geometryType === 'Point' ? ['NaN', 36.66] : [['NaN', 36.66], [117, 36.66]] }],
    ['longitude 500', { ...geometryFor(layer), coordinates: layer.geometryType === 'Point' ? [500, 36.66] : JSON.parse(JSON.stringify(geometryFor(layer).coordinates).replace('117.001', '500')) }],
    ['the wrong geometry type', layer.geometryType === 'Point' ? geometryFor({ ...layer, geometryType: 'LineString' }) : { type: 'Point', coordinates: [117.001, 36.661] }],
    ...(layer.geometryType === 'Polygon' || layer.geometryType === 'MultiPolygon'
      ? ([
          ['a self-intersecting polygon', { type: 'Polygon', coordinates: [[[117.001, 36.661], [117.002, 36.662], [117.002, 36.661], [117.001, 36.662], [117.001, 36.661]]] }],
          ['an unclosed ring', { type: 'Polygon', coordinates: [[[117.001, 36.661], [117.002, 36.661], [117.002, 36.662], [117.001, 36.662]]] }],
        ] as [string, unknown][])
      : []),
  ];

  it.each(badGeometries)('refuses %s with 422 naming the geometry, changing nothing', async (_what, geometry) => {
    const before = await stateOf(layer, existing.id);
    const created = await send('POST', items, { type: 'Feature', geometry, properties: propertiesFor(layer) }, editor.writeHeaders);
    expect(created.status, JSON.stringify(created.body)).toBe(422);
    expect(created.type).toMatch(/^application\/problem\+json/);
    expect(created.body['invalid-params'].map((p: { name: string }) => p.name)).toContain('geometry');
    const patched = await send('PATCH', `${items}/${existing.id}`, { type: 'Feature', geometry }, { ...editor.writeHeaders, 'if-match': existing.etag });
    expect(patched.status).toBe(422);
    expect(await stateOf(layer, existing.id)).toEqual(before);
  });

  it('refuses properties the layer does not allow with 422 naming them', async () => {
    const before = await stateOf(layer, existing.id);
    const enumField = layer.fields.find((field) => field.values)!;
    const response = await send('PATCH', `${items}/${existing.id}`, { type: 'Feature', properties: { [enumField.name]: 'no-such-value', colour: 'red' } }, { ...editor.writeHeaders, 'if-match': existing.etag });
    expect(response.status).toBe(422);
    expect(response.body['invalid-params'].map((p: { name: string }) => p.name).sort()).toEqual([`properties.${enumField.name}`, 'properties.colour'].sort());
    expect(await stateOf(layer, existing.id)).toEqual(before);
  });
});

describe('a feature\'s life: history, soft delete and restore', () => {
  it('deletes softly, lists every version, and restores an earlier one as a new audited write', async () => {
    const layer = layers.find((candidate) => candidate.id === 'vendor_zones')!;
    const items = `/ogc/collections/${layer.id}/items`;
    const created = await send('POST', items, featureFor(layer), admin.writeHeaders);
    const id = created.body.id as number;
    const renamed = await send('PATCH', `${items}/${id}`, { type: 'Feature', properties: { name: '夜市东段', capacity: 40 } }, { ...admin.writeHeaders, 'if-match': created.etag! });
    expect(renamed.body.properties).toMatchObject({ name: '夜市东段', capacity: 40 });
    const deleted = await send('DELETE', `${items}/${id}`, undefined, { ...admin.writeHeaders, 'if-match': renamed.etag! });
    expect(deleted.status).toBe(204);
    expect((await send('GET', `${items}/${id}`, undefined, {})).status).toBe(404);
    const { rows } = await app.database.pool.query('SELECT deleted_at IS NOT NULL AS hidden FROM vendor_zones WHERE id = $1', [id]);
    expect(rows[0].hidden).toBe(true);

    // Who changed what is for signed-in staff, even where the map itself is public.
    expect((await send('GET', `/api/features/${layer.id}/${id}/history`, undefined, {})).status).toBe(401);
    expect((await send('GET', `/api/features/${layer.id}/999999999/history`, undefined, { cookie: viewer.cookie })).status).toBe(404);
    const history = await send('GET', `/api/features/${layer.id}/${id}/history`, undefined, { cookie: viewer.cookie });
    expect(history.body.entries.map((entry: { action: string; version: number }) => [entry.action, entry.version])).toEqual([
      ['delete', 3],
      ['update', 2],
      ['create', 1],
    ]);
    expect(history.body.entries[1].before.properties.name).toBe(created.body.properties.name);
    expect(history.body.entries[1].after.properties.name).toBe('夜市东段');

    // A restore is a write: without the current ETag it is refused, and nothing changes.
    const blind = await send('POST', `/api/features/${layer.id}/${id}/restore/2`, undefined, admin.writeHeaders);
    expect(blind.status).toBe(428);
    const stale = await send('POST', `/api/features/${layer.id}/${id}/restore/2`, undefined, { ...admin.writeHeaders, 'if-match': '"2"' });
    expect(stale.status).toBe(412);
    const { rows: stillHidden } = await app.database.pool.query('SELECT deleted_at IS NOT NULL AS hidden, version FROM vendor_zones WHERE id = $1', [id]);
    expect(stillHidden[0]).toEqual({ hidden: true, version: 3 });

    const restored = await send('POST', `/api/features/${layer.id}/${id}/restore/2`, undefined, { ...admin.writeHeaders, 'if-match': '"3"' });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.etag).toBe('"4"');
    const back = await send('GET', `${items}/${id}`, undefined, {});
    expect(back.status).toBe(200);
    expect(back.body.properties).toMatchObject({ name: '夜市东段', capacity: 40 });
    expect(back.body.geometry).toEqual(renamed.body.geometry);
    const latest = await send('GET', `/api/features/${layer.id}/${id}/history`, undefined, { cookie: viewer.cookie });
    expect(latest.body.entries[0]).toMatchObject({ action: 'restore', version: 4 });

    const changes = await send('GET', `/api/audit?layer=${layer.id}&limit=10`, undefined, { cookie: admin.cookie });
    expect(changes.body.entries.filter((entry: { featureId: number }) => entry.featureId === id)).toHaveLength(4);
    expect((await send('GET', '/api/audit', undefined, { cookie: viewer.cookie })).status).toBe(403);
  });

  it('lets exactly one of 50 concurrent PATCHes with the same ETag through', async () => {
    const layer = layers.find((candidate) => candidate.id === 'trash_hotspots')!;
    const items = `/ogc/collections/${layer.id}/items`;
    const created = await send('POST', items, featureFor(layer), admin.writeHeaders);
    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        send('PATCH', `${items}/${created.body.id}`, { type: 'Feature', properties: { volume_m3: index + 1 } }, { ...admin.writeHeaders, 'if-match': created.etag! }),
      ),
    );
    const statuses = attempts.map((attempt) => attempt.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(49);
    const { rows } = await app.database.pool.query('SELECT count(*)::int AS n FROM audit_log WHERE layer = $1 AND feature_id = $2', [layer.id, created.body.id]);
    expect(rows[0].n).toBe(2);
  });
});

describe('checks before the database', () => {
  const layerNamed = (id: string) => layers.find((candidate) => candidate.id === id)!;
  const problemNames = (response: { body: { 'invalid-params'?: { name: string }[] } }) =>
    (response.body['invalid-params'] ?? []).map((problem) => problem.name).sort();

  it('names every problem of a new feature at once, PostGIS\'s verdict on the geometry among them', async () => {
    const layer = layerNamed('vendor_zones');
    const before = await stateOf(layer, 0);
    const bowtie = { type: 'Polygon', coordinates: [[[117.001, 36.661], [117.002, 36.662], [117.002, 36.661], [117.001, 36.662], [117.001, 36.661]]] };
    const response = await send('POST', `/ogc/collections/${layer.id}/items`, { type: 'Feature', geometry: bowtie, properties: { capacity: 600, kind: 'tidal_stall' } }, admin.writeHeaders);
    expect(response.status).toBe(422);
    expect(response.type).toMatch(/application\/problem\+json/);
    // Every required field left out, the range, and the self-intersection: one answer.
    expect(problemNames(response)).toEqual(['geometry', 'properties.capacity', 'properties.closes_at', 'properties.district', 'properties.name', 'properties.opens_at']);
    expect(response.body['invalid-params'].find((problem: { name: string }) => problem.name === 'geometry').reason).toMatch(/self-intersection/i);
    expect(await stateOf(layer, 0)).toEqual(before);
  });

  it('refuses values the table could not hold with 422 naming the property, never a 500', async () => {
    const layer = layerNamed('streetlights');
    const created = await send('POST', `/ogc/collections/${layer.id}/items`, featureFor(layer), admin.writeHeaders);
    expect(created.status).toBe(201);
    const cases: [Record<string, unknown>, string][] = [
      [{ road_id: 1e20 }, 'properties.road_id'],
      [{ road_id: 2 ** 62 }, 'properties.road_id'],
      [{ road_id: 999_999_999 }, 'properties.road_id'],
      [{ lamp_code: 'A\u0000B' }, 'properties.lamp_code'],
      [{ status: null }, 'properties.status'],
      [{ power_w: 0 }, 'properties.power_w'],
    ];
    for (const [properties, name] of cases) {
      const before = await stateOf(layer, created.body.id);
      const response = await send('PATCH', `/ogc/collections/${layer.id}/items/${created.body.id}`, { type: 'Feature', properties }, { ...admin.writeHeaders, 'if-match': created.etag! });
      expect(response.status, JSON.stringify(properties)).toBe(422);
      expect(problemNames(response), JSON.stringify(properties)).toEqual([name]);
      expect(await stateOf(layer, created.body.id)).toEqual(before);
    }
  });

  it('refuses dates that do not exist or that the database cannot hold, and a deadline before its report', async () => {
    const hotspots = layerNamed('trash_hotspots');
    for (const reportedAt of ['2026-02-30T08:00:00Z', '0000-01-01T00:00:00Z', '2026-10-01 08:00', '99999-01-01T00:00:00Z']) {
      const response = await send('POST', `/ogc/collections/${hotspots.id}/items`, { ...featureFor(hotspots), properties: { ...propertiesFor(hotspots), reported_at: reportedAt } }, admin.writeHeaders);
      expect(response.status, reportedAt).toBe(422);
      expect(problemNames(response)).toEqual(['properties.reported_at']);
    }
    const cases = layerNamed('cases');
    const late = await send('POST', `/ogc/collections/${cases.id}/items`, { ...featureFor(cases), properties: { ...propertiesFor(cases), reported_at: '2026-10-05T08:00:00Z', due_at: '2026-10-01T08:00:00Z' } }, admin.writeHeaders);
    expect(late.status).toBe(422);
    expect(problemNames(late)).toEqual(['properties.due_at']);
  });

  it('fills a replacement\'s left-out fields with the table\'s defaults, and requires the rest', async () => {
    const layer = layerNamed('alleys');
    const created = await send('POST', `/ogc/collections/${layer.id}/items`, { ...featureFor(layer), properties: { ...propertiesFor(layer), renovation: 'completed' } }, admin.writeHeaders);
    const { renovation: _renovation, problems: _problems, ...rest } = propertiesFor(layer);
    const replaced = await send('PUT', `/ogc/collections/${layer.id}/items/${created.body.id}`, { ...featureFor(layer), properties: rest }, { ...admin.writeHeaders, 'if-match': created.etag! });
    expect(replaced.status).toBe(200);
    expect(replaced.body.properties).toMatchObject({ renovation: 'surveyed', problems: '' });
    const { name: _name, ...nameless } = rest;
    const refused = await send('PUT', `/ogc/collections/${layer.id}/items/${created.body.id}`, { ...featureFor(layer), properties: nameless }, { ...admin.writeHeaders, 'if-match': replaced.etag! });
    expect(refused.status).toBe(422);
    expect(problemNames(refused)).toEqual(['properties.name']);
  });

  it('answers out-of-range versions and change-log dates with 400', async () => {
    const restore = await send('POST', '/api/features/vendor_zones/1/restore/2147483648', undefined, { ...admin.writeHeaders, 'if-match': '"1"' });
    expect(restore.status).toBe(400);
    for (const query of ['from=99999-01-01', 'from=2026-02-30', 'to=yesterday', 'from=0000-01-01']) {
      const response = await send('GET', `/api/audit?${query}`, undefined, { cookie: admin.cookie });
      expect(response.status, query).toBe(400);
      expect(response.type).toMatch(/application\/problem\+json/);
    }
  });
});

describe('write fuzzing', () => {
  it('answers 300 generated hostile writes without a 5xx, and a refused write changes nothing', async () => {
    const random = new Random(20261123);
    const targets = writableLayers.map((layer) => layer.id);
    const hostile: unknown[] = [
      null, '', '\u0000', "'; DROP TABLE alleys; --", 1e308, -1e308, 2 ** 63, -1, 0, 1.5, Number.MAX_SAFE_INTEGER + 2, true, [], {}, '2026-02-30T00:00:00Z',
      '0000-01-01T00:00:00Z', '24:00', '99:99', 'a'.repeat(600), '路灯', 'NaN',
    ];
    const geometries: unknown[] = [
      null, {}, { type: 'Point', coordinates: [500, 36.66] }, { type: 'Point', coordinates: ['117', '36'] }, { type: 'LineString', coordinates: [[117, 36.66]] },
      { type: 'Polygon', coordinates: [[[117, 36.66], [117.001, 36.66], [117.001, 36.661]]] }, { type: 'GeometryCollection', geometries: [] },
      { type: 'Polygon', coordinates: [[[117.001, 36.661], [117.002, 36.662], [117.002, 36.661], [117.001, 36.662], [117.001, 36.661]]] },
    ];
    // Features of the test's own, so the seeded city the other test files read stays as it was.
    const ownFeature = new Map<string, number>();
    for (const id of targets) {
      const created = await send('POST', `/ogc/collections/${id}/items`, featureFor(layerOf(id)), admin.writeHeaders);
      ownFeature.set(id, created.body.id);
    }
    for (let attempt = 0; attempt < 300; attempt += 1) {
      const layer = layerOf(random.pick(targets));
      const field = random.pick(layer.fields);
      const existing = await app.database.pool.query<{ id: number; version: number }>(`SELECT id::int, version FROM ${identifier(layer.table)} WHERE id = $1`, [ownFeature.get(layer.id)]);
      const target = existing.rows[0]!;
      const properties = { ...propertiesFor(layer), [random.chance(0.8) ? field.name : 'x\u0000y']: random.pick(hostile) };
      const body = random.chance(0.05) ? random.pick(hostile) : { type: 'Feature', geometry: random.chance(0.2) ? random.pick(geometries) : geometryFor(layer), properties };
      const route = random.integer(0, 3);
      const before = await stateOf(layer, target.id);
      const headers = { ...admin.writeHeaders, 'if-match': random.chance(0.9) ? `"${target.version}"` : random.pick(['*', 'W/"x"', '"99999999999"', '']) };
      const response =
        route === 0
          ? await send('POST', `/ogc/collections/${layer.id}/items`, body, admin.writeHeaders)
          : route === 1
            ? await send(random.pick(['PUT', 'PATCH']), `/ogc/collections/${layer.id}/items/${target.id}`, body, headers)
            : route === 2
              ? await send('POST', `/api/features/${layer.id}/${target.id}/restore/${random.pick(['0', '1', '-1', '2147483648', '1e3', 'x'])}`, undefined, headers)
              : await send('DELETE', `/ogc/collections/${layer.id}/items/${random.pick([String(target.id), '0', '99999999999', 'abc'])}`, undefined, { ...headers, 'if-match': '"0"' });
      expect(response.status, `${route} ${JSON.stringify(body)?.slice(0, 200)}`).toBeLessThan(500);
      if (response.status >= 400) {
        expect(response.type).toMatch(/application\/problem\+json/);
        expect(await stateOf(layer, target.id)).toEqual(before);
      }
    }
    expect((await fetch(`${app.baseUrl}/api/health`)).status).toBe(200);
  });
});

function layerOf(id: string): LayerDefinition {
  return layers.find((candidate) => candidate.id === id)!;
}

describe('features older than the log', () => {
  it('restores a seeded feature\'s original version from what its first logged write replaced', async () => {
    const layer = layerOf('restricted_areas');
    const { rows } = await app.database.pool.query<{ id: number }>('SELECT id::int FROM restricted_areas WHERE deleted_at IS NULL AND version = 1 ORDER BY id DESC LIMIT 1');
    const id = rows[0]!.id;
    const items = `/ogc/collections/${layer.id}/items`;
    const original = await send('GET', `${items}/${id}`, undefined, {});
    try {
      const renamed = await send('PATCH', `${items}/${id}`, { type: 'Feature', properties: { name: '临时改名' } }, { ...admin.writeHeaders, 'if-match': original.etag! });
      expect(renamed.status).toBe(200);
      const restored = await send('POST', `/api/features/${layer.id}/${id}/restore/1`, undefined, { ...admin.writeHeaders, 'if-match': renamed.etag! });
      expect(restored.status, JSON.stringify(restored.body)).toBe(200);
      expect(restored.body.properties).toEqual(original.body.properties);
      expect(restored.body.geometry).toEqual(original.body.geometry);
      expect((await send('POST', `/api/features/${layer.id}/${id}/restore/7`, undefined, { ...admin.writeHeaders, 'if-match': restored.etag! })).status).toBe(404);
    } finally {
      // The seeded city as the other test files expect it: content, version and no log rows.
      const client = await app.database.pool.connect();
      try {
        // Past the version trigger, which would count this reset as one more edit.
        await client.query('BEGIN');
        await client.query('SET LOCAL session_replication_role = replica');
        await client.query('UPDATE restricted_areas SET version = 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      await app.database.pool.query('DELETE FROM audit_log WHERE layer = $1 AND feature_id = $2', [layer.id, id]);
    }
    expect((await send('GET', `${items}/${id}`, undefined, {})).etag).toBe('"1"');
  });
});
