// The Library grid at 100,000 images, in a real Chromium: the DOM holds only the rows
// on screen, the far end is reachable by keyboard, tiles load page by page, and
// scrolling stays smooth. The project is simulated (helpers/fake-bridge.ts) so the
// test measures the renderer alone. Needs the built renderer (npm run build).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type BrowserHandle } from './helpers/browser.js';
import { startFakeBridge, type FakeBridge } from './helpers/fake-bridge.js';
import { repoRoot } from './helpers/serve.js';

const TOTAL = 100_000;
const ROW_HEIGHT = 158; // the grid's tile (148) + gap (10)

let bridge: FakeBridge | undefined;
let browser: BrowserHandle | undefined;
let page: Page;

/** Rows the grid's height shows, at most, plus virtua's buffer of one row each side. */
async function maxRowsInDom(p: Page): Promise<number> {
  const box = await p.getByTestId('grid').boundingBox();
  return Math.ceil((box?.height ?? 0) / ROW_HEIGHT) + 1 + 2;
}

describe('Library grid at 100,000 images', () => {
  beforeAll(async () => {
    bridge = await startFakeBridge(TOTAL);
    browser = await launchBrowser({ width: 1280, height: 860 });
    page = browser.page;
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
  });

  it('shows the count and renders only the visible rows', async () => {
    await page.goto(bridge!.url);
    await expect.poll(() => page.getByTestId('grid-count').innerText()).toContain('100,000 images');
    await page.locator('[data-testid="tile"] img').first().waitFor();
    const columns = Number(await page.getByTestId('grid').getAttribute('data-columns'));
    expect(columns).toBeGreaterThan(1);
    const rows = await page.locator('[data-row]').count();
    expect(rows).toBeLessThanOrEqual(await maxRowsInDom(page));
    expect(await page.getByTestId('tile').count()).toBeLessThanOrEqual(rows * columns);
    // A handful of pages, not 500.
    expect(bridge!.pageRequests.length).toBeLessThanOrEqual(4);
  });

  it('reaches the last image with the End key and loads only the pages near it', async () => {
    await page.locator('[data-testid="tile"][data-index="0"]').click();
    await page.getByTestId('detail-panel').waitFor();
    await page.keyboard.press('End');
    const last = page.locator(`[data-testid="tile"][data-index="${TOTAL - 1}"]`);
    await last.waitFor();
    await expect.poll(() => last.getAttribute('aria-selected')).toBe('true');
    await last.locator('img').waitFor();
    await expect.poll(() => page.getByTestId('detail-panel').locator('.file').innerText()).toContain(`${TOTAL}.jpg`);
    expect(await page.locator('[data-row]').count()).toBeLessThanOrEqual(await maxRowsInDom(page));
    const farOffsets = bridge!.pageRequests.filter((o) => o > 1000 && o < TOTAL - 1000);
    expect(farOffsets, 'no pages between the start and the end were fetched').toEqual([]);
    await page.keyboard.press('Home');
    await page.locator('[data-testid="tile"][data-index="0"][aria-selected="true"]').waitFor();
  });

  it('scrolls smoothly through the middle, keeping the DOM small', async () => {
    await page.keyboard.press('Escape');
    const grid = page.getByTestId('grid');
    const box = (await grid.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    // Record frame times while the wheel scrolls ~380 rows.
    await page.evaluate(`(() => {
      window.__frames = [];
      let last = performance.now();
      const tick = (t) => { window.__frames.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
      window.__stop = false;
      requestAnimationFrame(tick);
    })()`);
    const maxRows = await maxRowsInDom(page);
    let mostRows = 0;
    for (let i = 0; i < 25; i++) {
      await page.mouse.wheel(0, 2400);
      await page.waitForTimeout(16);
      if (i % 5 === 0) mostRows = Math.max(mostRows, await page.locator('[data-row]').count());
    }
    const frames = (await page.evaluate(`(() => { window.__stop = true; return window.__frames; })()`)) as number[];
    expect(mostRows).toBeLessThanOrEqual(maxRows);
    // Scrolled deep into the grid, and the tiles there arrive.
    const firstRow = Number(await page.locator('[data-row]').first().getAttribute('data-row'));
    expect(firstRow).toBeGreaterThan(100);
    await page.locator('[data-testid="tile"] img').first().waitFor();

    const sorted = [...frames].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    console.log(
      `grid-scale: ${frames.length} frames while scrolling, median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, ` +
        `${bridge!.pageRequests.length} page requests in all`,
    );
    // Headless software rendering on 2 busy cores: a generous bound that still catches
    // a grid that renders all rows (that takes seconds per frame at 100,000 images).
    expect(median).toBeLessThan(100);
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'grid-100k.png') });
  });

  it('ran without errors in the page', () => {
    expect(browser!.problems).toEqual([]);
  });
});
