// The Library end to end, in a real Chromium against the real `holdout serve`:
// create a project through the UI, import a generated folder (3 classes × 8 images and
// 2 bad files), read the report, browse the grid, open an image, reload; once a split
// exists, the grid hides its test images until "Show test images" is ticked.
// Needs `npm run build` first (npm test builds).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { BrowserHandle } from './helpers/browser.js';
import { BAD_FILES, FIXTURE_CLASSES, IMAGES_PER_CLASS, makeShapesFolder } from './helpers/fixtures.js';
import { repoRoot, type ServeHandle } from './helpers/serve.js';
import { openE2eSession, type E2eSession } from './helpers/session.js';

const TOTAL = FIXTURE_CLASSES.length * IMAGES_PER_CLASS;
const shotsDir = path.join(repoRoot, 'test-results');

let session: E2eSession | undefined;
let tmp: string;
let server: ServeHandle | undefined;
let browser: BrowserHandle | undefined;
let page: Page;

async function sidebarCount(p: Page, testid: string, cls?: string): Promise<string> {
  const selector = cls ? `[data-testid="${testid}"][data-class="${cls}"]` : `[data-testid="${testid}"]`;
  return (await p.locator(`${selector} [data-testid="count"]`).innerText()).trim();
}

/** How many tiles fit on screen: columns × rows that the grid's height shows (at least partly). */
async function visibleCapacity(p: Page): Promise<number> {
  const grid = p.getByTestId('grid');
  const columns = Number(await grid.getAttribute('data-columns'));
  const box = await grid.boundingBox();
  const rowHeight = 158; // tile 148 + gap 10: the grid's geometry
  return columns * Math.ceil((box?.height ?? 0) / rowHeight);
}

async function api<T = Record<string, unknown>>(method: string, body: unknown): Promise<T> {
  const res = await fetch(`${new URL(server!.url).origin}/api/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server!.token}` },
    body: JSON.stringify(body),
  });
  const r = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!r.ok) throw new Error(`${method}: ${r.error?.message}`);
  return r.value as T;
}

async function classId(name: string): Promise<number> {
  const list = await api<{ classes: { id: number; name: string }[] }>('classes.list', {});
  return list.classes.find((c) => c.name === name)!.id;
}

describe('Library in the browser', () => {
  beforeAll(async () => {
    fs.mkdirSync(shotsDir, { recursive: true });
    session = await openE2eSession({
      prefix: 'holdout-e2e-',
      prepare: async (dir) => {
        await makeShapesFolder(path.join(dir, 'photos'));
      },
    });
    ({ tmp, server, browser, page } = session);
  });

  afterAll(() => session?.close());

  it('opens on the Projects screen and keeps the token out of the address bar', async () => {
    await page.goto(server!.url);
    await page.getByRole('heading', { name: 'New project' }).waitFor();
    expect(page.url()).not.toContain('token=');
    await expect(page.getByText('your photos stay where they are', { exact: false }).count()).resolves.toBeGreaterThan(0);
  });

  it('names the field when a project cannot be created there', async () => {
    // The photo folder is not empty: the server refuses and says so under the folder field.
    await page.locator('#create-dir').fill(path.join(tmp, 'photos'));
    await page.getByRole('button', { name: 'Create project' }).click();
    const error = page.locator('#create-dir-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('not empty');
  });

  it('creates a project through the UI', async () => {
    await page.locator('#create-dir').fill(path.join(tmp, 'project'));
    await page.locator('#create-name').fill('Shapes');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByTestId('project-name').getByText('Shapes').waitFor();
    await page.getByTestId('library-empty').waitFor();
  });

  it('imports a folder and reports the bad files with reasons', async () => {
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.waitFor();
    await dialog.getByLabel('A folder with one sub-folder per class').check();
    await dialog.locator('#import-path').fill(path.join(tmp, 'photos'));
    await dialog.getByTestId('start-import').click();

    const report = dialog.getByTestId('import-report');
    await report.waitFor({ timeout: 90_000 });
    expect(await dialog.getByTestId('import-headline').innerText()).toContain(`Imported ${TOTAL} new images`);

    const rows = dialog.locator('[data-testid="bad-files"] tbody tr');
    await expect(rows.count()).resolves.toBe(BAD_FILES.length);
    const table = await rows.allInnerTexts();
    for (const bad of BAD_FILES) {
      const row = table.find((r) => r.includes(path.basename(bad.rel)));
      expect(row, `${bad.rel} is listed`).toBeDefined();
      // A reason follows the path (the second cell is not empty).
      const cells = row!.split('\t').map((c) => c.trim());
      expect(cells[1]?.length ?? 0, `${bad.rel} has a reason`).toBeGreaterThan(3);
    }
    await page.screenshot({ path: path.join(shotsDir, 'import-report.png') });
    await dialog.getByTestId('import-done').click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows the images in a virtualized grid with counts per class', async () => {
    const tiles = page.getByTestId('tile');
    await page.locator('[data-testid="tile"] img').first().waitFor();
    const expected = Math.min(await visibleCapacity(page), TOTAL);
    await expect.poll(() => tiles.count()).toBe(expected);
    // Every tile on screen has its thumbnail and a class badge.
    await expect.poll(() => page.locator('[data-testid="tile"] img').count()).toBe(expected);
    await expect.poll(() => page.locator('[data-testid="tile"] .badge').count()).toBe(expected);

    expect(await sidebarCount(page, 'filter-all')).toBe(String(TOTAL));
    for (const cls of FIXTURE_CLASSES) expect(await sidebarCount(page, 'filter-class', cls)).toBe(String(IMAGES_PER_CLASS));
    expect(await sidebarCount(page, 'filter-unlabeled')).toBe('0');
    expect(await page.getByTestId('grid-count').innerText()).toContain(`${TOTAL} images`);
  });

  it('opens the detail panel with the right class on click, and follows the arrow keys', async () => {
    const tile = page.locator('[data-testid="tile"][data-class="square"]').first();
    await tile.click();
    const panel = page.getByTestId('detail-panel');
    await panel.waitFor();
    await expect.poll(() => panel.getByTestId('detail-class').innerText()).toBe('square');
    await panel.getByText(/\.(png|jpg)$/).first().waitFor();
    await page.screenshot({ path: path.join(shotsDir, 'library.png') });

    // The arrow keys move the selection through the grid and the panel follows.
    const selected = page.locator('[data-testid="tile"][aria-selected="true"]');
    await page.locator('[data-testid="tile"][data-index="0"]').click();
    await expect.poll(() => panel.getByTestId('detail-class').innerText()).toBe(
      (await selected.getAttribute('data-class')) ?? '',
    );
    const columns = Number(await page.getByTestId('grid').getAttribute('data-columns'));
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => selected.getAttribute('data-index')).toBe('1');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => selected.getAttribute('data-index')).toBe(String(1 + columns));
    const movedTo = (await selected.getAttribute('data-class')) ?? '';
    await expect.poll(() => panel.getByTestId('detail-class').innerText()).toBe(movedTo);
    await page.keyboard.press('End');
    await expect.poll(() => selected.getAttribute('data-index')).toBe(String(TOTAL - 1));
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('filters by class', async () => {
    await page.locator('[data-testid="filter-class"][data-class="circle"]').click();
    await expect.poll(() => page.getByTestId('grid-count').innerText()).toContain(`${IMAGES_PER_CLASS} images`);
    await expect.poll(() => page.getByTestId('tile').count()).toBe(IMAGES_PER_CLASS);
    const classes = await page.getByTestId('tile').evaluateAll((els) => els.map((e) => e.getAttribute('data-class')));
    expect(new Set(classes)).toEqual(new Set(['circle']));
    await page.getByTestId('filter-all').click();
    await expect.poll(() => page.getByTestId('grid-count').innerText()).toContain(`${TOTAL} images`);
  });

  it('still has the project open with the same counts after a reload', async () => {
    await page.reload();
    await page.getByTestId('project-name').getByText('Shapes').waitFor();
    await expect.poll(() => sidebarCount(page, 'filter-all')).toBe(String(TOTAL));
    for (const cls of FIXTURE_CLASSES) expect(await sidebarCount(page, 'filter-class', cls)).toBe(String(IMAGES_PER_CLASS));
    await page.locator('[data-testid="tile"] img').first().waitFor();
    await expect.poll(async () => page.getByTestId('tile').count()).toBe(Math.min(await visibleCapacity(page), TOTAL));
  });

  it('hides the test images once a split exists, and shows them badged "test" when asked', async () => {
    // A split made through the API (the Split screen has its own test); the grid hears of it.
    const saved = await api<{ counts: { test: number } }>('split.save', { seed: 3 });
    const testCount = saved.counts.test;
    expect(testCount).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('grid-count').innerText()).toContain(`${TOTAL - testCount} images`);
    const toggle = page.getByTestId('show-test');
    await expect.poll(() => page.getByTestId('show-test-label').innerText()).toBe(`Show test images (${testCount} hidden)`);
    expect(await toggle.isChecked()).toBe(false);
    expect(await page.getByTestId('test-badge').count()).toBe(0);
    // The sidebar still counts every image of the project.
    expect(await sidebarCount(page, 'filter-all')).toBe(String(TOTAL));

    await toggle.check();
    await expect.poll(() => page.getByTestId('grid-count').innerText()).toContain(`${TOTAL} images`);
    expect(await page.getByTestId('show-test-label').innerText()).toBe(`Show test images (${testCount} shown)`);
    const onScreen = Math.min(await visibleCapacity(page), TOTAL);
    await expect.poll(() => page.getByTestId('tile').count()).toBe(onScreen);
    // Every test image on screen carries the badge, and only those.
    const badged = page.locator('[data-testid="tile"][data-test-image="true"]');
    await expect.poll(() => badged.count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="tile"] [data-testid="test-badge"]').count()).toBe(await badged.count());
    if (onScreen === TOTAL) expect(await badged.count()).toBe(testCount);
    expect(await badged.first().getAttribute('aria-label')).toContain('test set');
    await page.screenshot({ path: path.join(shotsDir, 'library-test-shown.png') });

    // One class: the count is of that class's test images.
    await page.locator('[data-testid="filter-class"][data-class="circle"]').click();
    const circleTest = await api<{ hidden: number }>('images.hiddenTest', { filter: { classId: await classId('circle') } });
    await expect.poll(() => page.getByTestId('show-test-label').innerText()).toBe(`Show test images (${circleTest.hidden} shown)`);
    await page.getByTestId('filter-all').click();

    await toggle.uncheck();
    await expect.poll(() => page.getByTestId('grid-count').innerText()).toContain(`${TOTAL - testCount} images`);
    await expect.poll(() => page.getByTestId('test-badge').count()).toBe(0);
  });

  it('ran without errors in the page', () => {
    expect(browser!.problems).toEqual([]);
  });
});
