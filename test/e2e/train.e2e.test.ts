// The Train screen end to end, in a real Chromium against the real `holdout serve`: a
// project of coloured shapes rendered here, imported and split by the real CLI. The
// screen says what it suggests and why; Start trains a small CNN in the server's
// worker on the WebAssembly backend; the screen says where it trains, shows epochs as
// they finish, survives a reload of the window mid-run, and shows the finished run in
// the list. Needs `npm run build` first (npm test builds).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { writeShapesDataset } from '../helpers/shapes-dataset.js';
import { launchBrowser, type BrowserHandle } from './helpers/browser.js';
import { repoRoot, startServe, type ServeHandle } from './helpers/serve.js';

const shotsDir = path.join(repoRoot, 'test-results');
const EPOCHS = 8;

let tmp: string;
let server: ServeHandle | undefined;
let browser: BrowserHandle | undefined;
let page: Page;

/** Pixels of a chart canvas in the validation-loss orange (#d9480f), 0 for a canvas of no size. */
function inkOf(el: unknown): number {
  // Runs in the page; typed by hand because the tests' TypeScript has no DOM library.
  type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
  const c = el as Canvas;
  if (c.width === 0 || c.height === 0) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - 217) < 24 && Math.abs(d[i + 1]! - 72) < 24 && Math.abs(d[i + 2]! - 15) < 24 && d[i + 3]! > 200) n++;
  return n;
}

async function openTrain(): Promise<void> {
  await page.getByTestId('tab-train').click();
  await page.getByTestId('train-view').waitFor();
}

describe('Train screen in the browser', () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-e2e-train-'));
    fs.mkdirSync(shotsDir, { recursive: true });
    const images = await writeShapesDataset(path.join(tmp, 'shapes'), { perClass: 30, size: 32, colourByClass: true });
    const project = path.join(tmp, 'project');
    const imported = await runCli(['import', images, '--project', project]);
    expect(imported.code, imported.stderr).toBe(0);
    const split = await runCli(['split', '--project', project, '--seed', '1']);
    expect(split.code, split.stderr).toBe(0);
    server = await startServe({ settingsDir: path.join(tmp, 'settings'), project });
    browser = await launchBrowser({ width: 1400, height: 1000 });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('suggests a model for the data, in plain words, with the form filled from the defaults', async () => {
    await page.goto(server!.url);
    await openTrain();
    await expect.poll(() => page.getByTestId('train-reason').textContent()).toMatch(/small colour images .*: a small CNN trained from scratch/);
    expect(await page.getByTestId('train-epochs').inputValue()).toBe('30');
    expect(await page.getByTestId('train-learningRate').inputValue()).toBe('');
    expect(await page.getByTestId('train-augmentation').isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('train-runs').textContent()).toContain('No runs yet');
  });

  it('names a bad field under it', async () => {
    await page.getByTestId('train-epochs').fill('0');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.locator('#train-epochs-hint + .error').textContent()).toMatch(/epochs/);
    await expect.poll(() => page.getByTestId('train-runs').textContent()).toContain('No runs yet');
  });

  it('trains, says where, shows epochs as they finish, and survives a reload mid-run', async () => {
    await page.getByTestId('train-epochs').fill(String(EPOCHS));
    await page.getByTestId('train-batchSize').fill('16');
    await page.getByTestId('train-learningRate').fill('0.002');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('train-backend').textContent(), { timeout: 45_000 }).toMatch(/Training on: CPU \(WebAssembly/);
    await page.getByTestId('epoch-row').first().waitFor();
    await page.screenshot({ path: path.join(shotsDir, 'train-running.png') });
    // The curves have drawn live: a uPlot canvas of real size with the validation-loss colour on it.
    await expect.poll(() => page.getByTestId('train-chart-loss').locator('.uplot canvas').evaluate(inkOf), { timeout: 10_000 }).toBeGreaterThan(10);

    // Close and reopen the window: the run, its backend and its epochs come back.
    await page.reload();
    await openTrain();
    const status = () => page.getByTestId('train-run-status').textContent();
    await expect.poll(status).toMatch(/training|completed/);
    await expect.poll(() => page.getByTestId('train-backend').textContent()).toMatch(/(Training|Trained) on: CPU \(WebAssembly/);
    expect(await page.getByTestId('epoch-row').count()).toBeGreaterThanOrEqual(1);

    await expect.poll(status, { timeout: 60_000 }).toBe('completed');
    await expect.poll(() => page.getByTestId('epoch-row').count()).toBeGreaterThanOrEqual(EPOCHS - 3);
    expect(await page.getByTestId('train-backend').textContent()).toMatch(/Trained on: CPU \(WebAssembly/);
    expect(await page.locator('tr.best[data-testid="epoch-row"]').count()).toBe(1);
    await expect.poll(() => page.getByTestId('train-outcome').textContent()).toMatch(/Finished/);
    // The coach has read the finished run: its findings, or a word that there is nothing to say.
    await page.getByTestId('train-coach').waitFor();
    await expect.poll(() => page.locator('[data-testid="coach-finding"], [data-testid="coach-nothing"]').count()).toBeGreaterThan(0);
    await page.getByTestId('train-coach').screenshot({ path: path.join(shotsDir, 'train-coach.png') });
    const row = page.getByTestId('run-row').first();
    expect(await row.textContent()).toMatch(/completed/);
    expect(await row.textContent()).toMatch(/WebAssembly/);
    await page.screenshot({ path: path.join(shotsDir, 'train.png') });
    // Saved with the other test screenshots; docs/screenshots/ holds a chosen copy.
    await page.getByTestId('train-charts').screenshot({ path: path.join(shotsDir, 'train-dashboard.png') });
    expect(browser!.problems).toEqual([]);
  });
});
