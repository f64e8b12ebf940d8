/**
 * The console in a real browser against a real server: the map draws every kind of layer, the
 * panel toggles layers and switches language, and a click opens a popup. Needs `npm run build`.
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
  viewport,
  waitForHealth,
  waitForQuietMap,
  type RunningServer,
} from './harness.ts';

/** Where alleys, lamps, hotspots and vendor zones are all on screen in the demo city. */
const detailView = { center: [117.0, 36.66] as [number, number], zoom: 15 };

/** MapLibre features of one registry layer drawn in the viewport. */
function renderedCount(page: Page, paintLayerId: string): Promise<number> {
  return page.evaluate((id) => {
    const map = window.__cityMap;
    if (!map?.getLayer(id)) return 0;
    return map.queryRenderedFeatures({ layers: [id] }).length;
  }, paintLayerId);
}

/** deck.gl objects of one layer found in the picking buffer over the whole viewport. */
function pickedCount(page: Page, layerId: string): Promise<number> {
  return page.evaluate((id) => {
    const overlay = window.__cityDeck;
    const canvas = window.__cityMap?.getCanvas();
    if (!overlay || !canvas) return 0;
    return overlay.pickObjects({ x: 0, y: 0, width: canvas.clientWidth, height: canvas.clientHeight, layerIds: [id] }).length;
  }, layerId);
}

describe('the city operations console in Chromium', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const browserErrors: string[] = [];

  beforeAll(async () => {
    checkPrerequisites();
    server = startServer(await freePort());
    await waitForHealth(server, 120_000);

    browser = await launchChromium();
    page = await openConsole(browser, server, browserErrors);
    await page.evaluate((view) => window.__cityMap?.jumpTo(view), detailView);
    await waitForQuietMap(page);
  });

  afterAll(async () => {
    await browser?.close();
    await stopServer(server);
  });

  it('shows the Chinese interface by default', async () => {
    await expect.poll(() => page.locator('.layer-panel h1').innerText()).toBe('城市管理一张图');
    expect(await page.locator('.layer-panel').innerText()).toContain('背街小巷');
    await expect.poll(() => page.locator('.status-engine').innerText()).toContain('PostGIS');
  });

  it('draws alleys and vendor zones with MapLibre', async () => {
    await expect.poll(() => renderedCount(page, 'alleys::line'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => renderedCount(page, 'vendor_zones::fill'), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await renderedCount(page, 'roads::line')).toBeGreaterThan(0);
    expect(await renderedCount(page, 'districts::fill')).toBeGreaterThan(0);
  });

  it('draws streetlights and trash hotspots with deck.gl', async () => {
    await expect.poll(() => pickedCount(page, 'streetlights'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => pickedCount(page, 'trash_hotspots'), { timeout: 20_000 }).toBeGreaterThan(0);
  });

  it('hides a MapLibre layer and a deck.gl layer from the panel and shows them again', async () => {
    const alleys = page.locator('input[type="checkbox"][data-layer-id="alleys"]');
    await alleys.uncheck();
    await expect.poll(() => renderedCount(page, 'alleys::line')).toBe(0);
    await alleys.check();
    await expect.poll(() => renderedCount(page, 'alleys::line')).toBeGreaterThan(0);

    const hotspots = page.locator('input[type="checkbox"][data-layer-id="trash_hotspots"]');
    await hotspots.uncheck();
    await expect.poll(() => pickedCount(page, 'trash_hotspots')).toBe(0);
    await hotspots.check();
    await expect.poll(() => pickedCount(page, 'trash_hotspots'), { timeout: 20_000 }).toBeGreaterThan(0);
  });

  it('opens a popup with translated titles when a trash hotspot is clicked', async () => {
    await waitForQuietMap(page);
    const target = await page.evaluate(() => {
      const overlay = window.__cityDeck;
      const map = window.__cityMap;
      if (!overlay || !map) return undefined;
      const canvas = map.getCanvas();
      // The hotspot nearest the middle: away from the panel, the popup fits around it.
      const picks = overlay.pickObjects({ x: 0, y: 0, width: canvas.clientWidth, height: canvas.clientHeight, layerIds: ['trash_hotspots'] });
      const points = picks.flatMap((pick) => {
        const geometry = (pick.object as { geometry?: { type: string; coordinates: [number, number] } }).geometry;
        if (geometry?.type !== 'Point') return [];
        const { x, y } = map.project(geometry.coordinates);
        return [{ x, y }];
      });
      const middle = { x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 };
      points.sort((a, b) => Math.hypot(a.x - middle.x, a.y - middle.y) - Math.hypot(b.x - middle.x, b.y - middle.y));
      return points[0];
    });
    expect(target, 'a trash hotspot on screen to click').toBeDefined();
    await page.mouse.click(target!.x, target!.y);
    const popup = page.locator('.maplibregl-popup .feature-popup');
    await popup.waitFor({ state: 'visible', timeout: 10_000 });
    await expect.poll(() => popup.getAttribute('data-layer-id')).toBe('trash_hotspots');
    await expect.poll(() => popup.locator('h3').innerText()).toBe('垃圾死角');
    // The stage is shown by its Chinese title, never by the stored code.
    const stage = await popup.locator('.popup-row', { hasText: '清理状态' }).locator('dd').innerText();
    expect(['已发现', '已派单', '清理中', '已清零']).toContain(stage);

    mkdirSync(screenshotDirectory, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDirectory, 'console.png') });
  });

  it('opens a popup for a vendor zone drawn by MapLibre', async () => {
    const target = await page.evaluate(() => {
      const map = window.__cityMap;
      const overlay = window.__cityDeck;
      if (!map || !overlay) return undefined;
      const canvas = map.getCanvas();
      const panelRight = document.querySelector('.layer-panel')?.getBoundingClientRect().right ?? 0;
      // The middle of a vendor zone that is the topmost MapLibre feature there, with no deck.gl
      // point on top of it and clear of the layer panel.
      for (const zone of map.queryRenderedFeatures({ layers: ['vendor_zones::fill'] })) {
        if (zone.geometry.type !== 'Polygon') continue;
        const ring = zone.geometry.coordinates[0] ?? [];
        const longitudes = ring.map((position) => position[0] ?? 0);
        const latitudes = ring.map((position) => position[1] ?? 0);
        const { x, y } = map.project([
          (Math.min(...longitudes) + Math.max(...longitudes)) / 2,
          (Math.min(...latitudes) + Math.max(...latitudes)) / 2,
        ]);
        if (x < panelRight + 20 || x > canvas.clientWidth - 60 || y < 40 || y > canvas.clientHeight - 60) continue;
        const [top] = map.queryRenderedFeatures([x, y]);
        if (top?.layer.id.startsWith('vendor_zones::') && !overlay.pickObject({ x, y, radius: 6 })) return { x, y };
      }
      return undefined;
    });
    expect(target, 'a vendor zone on screen to click').toBeDefined();
    await page.mouse.click(target!.x, target!.y);
    const popup = page.locator('.maplibregl-popup .feature-popup');
    await expect.poll(() => popup.getAttribute('data-layer-id')).toBe('vendor_zones');
    await expect.poll(() => popup.locator('h3').innerText()).toBe('便民疏导点');
    await page.locator('.maplibregl-popup-close-button').click();
    await popup.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('switches to English, remembers it, and the panel follows', async () => {
    await page.locator('.language-switch button[lang="en"]').click();
    await expect.poll(() => page.locator('.layer-panel h1').innerText()).toBe('City Operations Map');
    const panel = page.locator('.layer-panel');
    await expect.poll(() => panel.innerText()).toContain('Back alleys');
    await expect.poll(() => panel.innerText()).toContain('Streetlights');
    await expect.poll(() => panel.innerText()).toContain('In progress');
    expect(await panel.innerText()).not.toContain('背街小巷');

    await page.reload();
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 90_000 });
    await expect.poll(() => page.locator('.layer-panel h1').innerText()).toBe('City Operations Map');
    await page.evaluate((view) => window.__cityMap?.jumpTo(view), detailView);
    await waitForQuietMap(page);
    await page.screenshot({ path: path.join(screenshotDirectory, 'console-en.png') });
  });

  it('shows a clear error banner when the API cannot be reached', async () => {
    const offline = await browser!.newPage({ viewport, locale: 'zh-CN' });
    try {
      await offline.route('**/api/**', (route) => route.abort('connectionrefused'));
      await offline.goto(`${server!.baseUrl}/`);
      const banner = offline.locator('.error-banner[role="alert"]');
      await banner.waitFor({ state: 'visible', timeout: 20_000 });
      // A new page is a new browser context: Chinese again, whatever the other page chose.
      expect(await banner.innerText()).toContain('无法连接服务器');
    } finally {
      await offline.close();
    }
  });

  it('made no request outside our origin and raised no page errors', () => {
    expect(browserErrors).toEqual([]);
  });
});
