/**
 * Editing in a real browser against a real server: an enforcement officer signs in, draws a
 * vendor zone with mouse clicks, fills the form and saves; drags a vertex and saves again; undoes
 * that save; and reads the feature's history. Every step is checked through the API, not only
 * on screen. A viewer sees no edit tools. Needs `npm run build`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPrerequisites,
  freePort,
  launchChromium,
  openConsole,
  screenshotDirectory,
  startServer,
  stopServer,
  waitForHealth,
  waitForQuietMap,
  type RunningServer,
} from './harness.ts';

const demoPassword = 'demo-pass';
/** Zoomed in near the old town, where a small zone is many pixels wide. */
const editView = { center: [117.004, 36.657] as [number, number], zoom: 16 };
/** The zone's corners on screen, in the clear middle between the layer panel and the edit panel. */
const corners = [
  { x: 560, y: 330 },
  { x: 720, y: 330 },
  { x: 720, y: 470 },
  { x: 560, y: 470 },
];
const draggedCorner = corners[1]!;
const dragTarget = { x: 770, y: 290 };

type Position = [number, number];
interface ApiFeature {
  id: number;
  geometry: { type: string; coordinates: Position[][] };
  properties: Record<string, unknown>;
}

/** Overlay layers that could sit above a vendor zone, hidden so a click reaches the zone. */
const layersInTheWay = ['streetlights', 'trash_hotspots', 'cases', 'restricted_areas', 'alleys'];

describe('editing a vendor zone in Chromium', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const browserErrors: string[] = [];
  let featureId = 0;
  let created: ApiFeature;

  const getFeature = async (id: number) => {
    const response = await fetch(`${server!.baseUrl}/ogc/collections/vendor_zones/items/${id}`);
    return { status: response.status, etag: response.headers.get('etag'), body: (await response.json()) as ApiFeature };
  };

  const screenshot = (name: string) => page.screenshot({ path: path.join(screenshotDirectory, `editing-${name}.png`) });

  const signIn = async (username: string) => {
    await page.locator('button[data-action="sign-in"]').click();
    await page.locator('.sign-in-form input[name="username"]').fill(username);
    await page.locator('.sign-in-form input[name="password"]').fill(demoPassword);
    await page.locator('.sign-in-form button[type="submit"]').click();
    await page.locator(`.session-user[data-role="${username}"]`).waitFor({ timeout: 10_000 });
  };

  /** Screen position of a longitude/latitude on the map. */
  const project = (position: Position) =>
    page.evaluate((lngLat) => {
      const point = window.__cityMap!.project(lngLat);
      return { x: point.x, y: point.y };
    }, position);

  /** Pixels from a screen point to the nearest position of a ring. */
  const distanceToNearest = async (ring: Position[], target: { x: number; y: number }) => {
    const distances = await Promise.all(ring.map(async (position) => {
      const point = await project(position);
      return Math.hypot(point.x - target.x, point.y - target.y);
    }));
    return Math.min(...distances);
  };

  /** Waits until the new zone is drawn from the tiles, then clicks inside it to open its popup. */
  const openPopupOfFeature = async () => {
    await expect
      .poll(
        () =>
          page.evaluate(
            (id) => window.__cityMap!.queryRenderedFeatures({ layers: ['vendor_zones::fill'] }).some((feature) => feature.id === id),
            featureId,
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
    await page.mouse.click(corners[0]!.x + 40, corners[0]!.y + 40);
    const popup = page.locator('.maplibregl-popup');
    await popup.locator('.feature-popup[data-layer-id="vendor_zones"]').waitFor({ timeout: 10_000 });
    return popup;
  };

  beforeAll(async () => {
    checkPrerequisites();
    server = startServer(await freePort(), demoPassword);
    await waitForHealth(server, 120_000);
    browser = await launchChromium();
    page = await openConsole(browser, server, browserErrors);
    for (const layerId of layersInTheWay) await page.locator(`input[type="checkbox"][data-layer-id="${layerId}"]`).uncheck();
    await page.evaluate((view) => window.__cityMap?.jumpTo(view), editView);
    await waitForQuietMap(page);
    mkdirSync(screenshotDirectory, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stopServer(server);
  });

  it('signs in as enforcement and offers the layers that role may edit', async () => {
    await signIn('enforcement');
    expect(await page.locator('.session-user').innerText()).toContain('执法');
    const options = await page.locator('#new-feature-layer option').allInnerTexts();
    expect(options).toEqual(['便民疏导点', '禁设区域']);
    expect(await page.evaluate(() => Boolean(window.__cityDraw))).toBe(true);
  });

  it('draws a vendor zone with mouse clicks and shows its area live', async () => {
    await page.locator('#new-feature-layer').selectOption('vendor_zones');
    await page.locator('button[data-action="draw"]').click();
    await expect.poll(() => page.evaluate(() => window.__cityDraw?.getMode())).toBe('polygon');
    for (const corner of corners) {
      await page.mouse.move(corner.x, corner.y, { steps: 4 });
      await page.mouse.click(corner.x, corner.y);
      await page.waitForTimeout(150);
    }
    // Clicking the first corner again closes the ring.
    await page.mouse.move(corners[0]!.x, corners[0]!.y, { steps: 4 });
    await page.mouse.click(corners[0]!.x, corners[0]!.y);
    await page.locator('.edit-panel[data-edit-state="new"]').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => window.__cityDraw?.getMode())).toBe('select');
    await expect.poll(() => page.locator('[data-measure="area"]').innerText()).toMatch(/面积 [\d,]+ m²/);
  });

  it('checks the form as the user types and saves the zone through the API', async () => {
    const capacity = page.locator('#field-capacity');
    await capacity.fill('600');
    await expect.poll(() => page.locator('[data-field="capacity"] .field-error').innerText()).toBe('不能大于 500');
    await capacity.fill('40');
    await expect.poll(() => page.locator('[data-field="capacity"] .field-error').count()).toBe(0);
    await page.locator('#field-name').fill('泉城路夜市');
    await page.locator('#field-kind').selectOption('tidal_stall');
    await page.locator('#field-permit').selectOption('active');
    await page.locator('#field-opens_at').fill('17:00');
    await page.locator('#field-closes_at').fill('22:00');
    await page.locator('#field-district').selectOption('lixia');
    await screenshot('new');

    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url().endsWith('/ogc/collections/vendor_zones/items') && candidate.request().method() === 'POST'),
      page.locator('button[data-action="save"]').click(),
    ]);
    expect(response.status()).toBe(201);
    featureId = ((await response.json()) as ApiFeature).id;
    await page.locator('.edit-panel[data-edit-state="idle"]').waitFor();

    const stored = await getFeature(featureId);
    expect(stored.status).toBe(200);
    expect(stored.etag).toBe('"1"');
    expect(stored.body.properties).toMatchObject({
      name: '泉城路夜市',
      kind: 'tidal_stall',
      permit: 'active',
      opens_at: '17:00',
      closes_at: '22:00',
      capacity: 40,
      district: 'lixia',
    });
    // Five positions, the last closing the ring, each where a click put it (within a pixel or two).
    // The server stores rings counter-clockwise, so the order is not necessarily the clicks'.
    const ring = stored.body.geometry.coordinates[0]!;
    expect(ring).toHaveLength(5);
    expect(ring[4]).toEqual(ring[0]);
    for (const corner of corners) expect(await distanceToNearest(ring, corner)).toBeLessThan(3);
    created = stored.body;
  });

  it('loads the saved zone for editing, drags a vertex (and undoes one drag), and saves version 2', async () => {
    const popup = await openPopupOfFeature();
    await popup.locator('button[data-action="edit"]').click();
    await page.locator('.edit-panel[data-edit-state="existing"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#field-name').inputValue()).toBe('泉城路夜市');

    const drag = async () => {
      await page.mouse.move(draggedCorner.x, draggedCorner.y, { steps: 4 });
      await page.mouse.down();
      await page.mouse.move(dragTarget.x, dragTarget.y, { steps: 12 });
      await page.mouse.up();
    };
    const drawnRing = () =>
      page.evaluate(() => {
        const feature = window.__cityDraw?.getSnapshot().find((candidate) => candidate.geometry.type === 'Polygon');
        return (feature?.geometry.coordinates as [number, number][][] | undefined)?.[0];
      });

    await drag();
    await expect.poll(() => page.locator('button[data-action="undo-vertex"]').isEnabled()).toBe(true);
    expect(await drawnRing()).not.toEqual(created.geometry.coordinates[0]);
    // Undo of the vertex move while still editing: the shape is the stored one again.
    await page.locator('button[data-action="undo-vertex"]').click();
    await expect.poll(drawnRing).toEqual(created.geometry.coordinates[0]);

    await drag();
    await expect.poll(() => page.locator('button[data-action="undo-vertex"]').isEnabled()).toBe(true);
    await screenshot('vertex');
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url().endsWith(`/items/${featureId}`) && candidate.request().method() === 'PATCH'),
      page.locator('button[data-action="save"]').click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.request().headers()['if-match']).toBe('"1"');

    const stored = await getFeature(featureId);
    expect(stored.etag).toBe('"2"');
    const ring = stored.body.geometry.coordinates[0]!;
    expect(await distanceToNearest(ring, dragTarget)).toBeLessThan(4);
    expect(await distanceToNearest(ring, draggedCorner)).toBeGreaterThan(20);
    // The other corners did not move.
    for (const corner of corners.filter((candidate) => candidate !== draggedCorner)) {
      expect(await distanceToNearest(ring, corner)).toBeLessThan(3);
    }
  });

  it('undoes the last save by restoring version 1 as version 3', async () => {
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url().includes(`/api/features/vendor_zones/${featureId}/restore/1`)),
      page.locator('button[data-action="undo-save"]').click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.request().headers()['if-match']).toBe('"2"');
    const stored = await getFeature(featureId);
    expect(stored.etag).toBe('"3"');
    expect(stored.body.geometry).toEqual(created.geometry);
    await expect.poll(() => page.locator('.edit-panel .panel-message').innerText()).toContain('版本 3');
  });

  it('lists create, update and restore in the history panel', async () => {
    const popup = await openPopupOfFeature();
    await popup.locator('button[data-action="history"]').click();
    const entries = page.locator('.history-panel li');
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(3);
    const actions = await entries.evaluateAll((items) => items.map((item) => [item.getAttribute('data-action'), item.getAttribute('data-version')]));
    expect(actions).toEqual([
      ['restore', '3'],
      ['update', '2'],
      ['create', '1'],
    ]);
    expect(await page.locator('.history-panel').innerText()).toContain('enforcement');
    // The history panel takes the popup's place.
    expect(await page.locator('.maplibregl-popup').count()).toBe(0);
    await screenshot('history');
    await page.locator('.history-panel .close-button').click();
  });

  it('shows both versions after a 412 and keeps mine with the new ETag', async () => {
    const popup = await openPopupOfFeature();
    await popup.locator('button[data-action="edit"]').click();
    await page.locator('.edit-panel[data-edit-state="existing"]').waitFor({ timeout: 10_000 });
    await page.locator('#field-capacity').fill('55');

    // Meanwhile an admin renames the zone: the version the form was loaded from is now stale.
    const login = await fetch(`${server!.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: demoPassword }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const theirs = await fetch(`${server!.baseUrl}/ogc/collections/vendor_zones/items/${featureId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken, 'if-match': '"3"' },
      body: JSON.stringify({ type: 'Feature', properties: { name: '他人修改' } }),
    });
    expect(theirs.status).toBe(200);

    await page.locator('button[data-action="save"]').click();
    const dialog = page.locator('.conflict-dialog');
    await dialog.waitFor({ timeout: 10_000 });
    expect(await dialog.locator('tr.is-changed[data-field="name"]').innerText()).toContain('他人修改');
    expect(await dialog.locator('tr.is-changed[data-field="capacity"]').innerText()).toContain('55');
    expect(await dialog.locator('tr[data-field="kind"]').getAttribute('class')).toBeNull();
    await screenshot('conflict');

    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url().endsWith(`/items/${featureId}`) && candidate.request().method() === 'PATCH'),
      dialog.locator('button', { hasText: '保留我的' }).click(),
    ]);
    expect(response.request().headers()['if-match']).toBe('"4"');
    const stored = await getFeature(featureId);
    expect(stored.etag).toBe('"5"');
    expect(stored.body.properties).toMatchObject({ name: '泉城路夜市', capacity: 55 });
  });

  it('lists recent changes for an admin, filtered by user and layer', async () => {
    await page.locator('button[data-action="sign-out"]').click();
    await signIn('admin');
    // The previous user's save is not the admin's to undo.
    expect(await page.locator('button[data-action="undo-save"]').count()).toBe(0);
    await page.locator('button[data-action="recent-changes"]').click();
    const panel = page.locator('.recent-changes');
    await panel.locator('input[name="user"]').fill('enforcement');
    await panel.locator('select[name="layer"]').selectOption('vendor_zones');
    await panel.locator('button[type="submit"]').click();
    await expect.poll(() => panel.locator('tbody tr').count(), { timeout: 10_000 }).toBe(4);
    expect(await panel.locator('tbody').innerText()).not.toContain('admin');
    await screenshot('admin');
    await panel.locator('.close-button').click();
  });

  it('shows a viewer no edit tools, and no Edit button in a popup', async () => {
    await page.locator('button[data-action="sign-out"]').click();
    await page.locator('button[data-action="sign-in"]').waitFor();
    await signIn('viewer');
    expect(await page.locator('.edit-panel').count()).toBe(0);
    const popup = await openPopupOfFeature();
    expect(await popup.locator('button[data-action="history"]').count()).toBe(1);
    expect(await popup.locator('button[data-action="edit"]').count()).toBe(0);
    await screenshot('viewer');
  });

  it('raised no page errors and made no request outside our origin', () => {
    expect(browserErrors).toEqual([]);
  });
});
