// Train, watch, evaluate and compare, end to end, in a real Chromium against the real
// `holdout serve`: a project of coloured shapes rendered here, imported and split by the
// real CLI. The Train screen says what it suggests and why; Start trains a small CNN in
// the server's worker on the WebAssembly backend; the screen says where it trains, draws
// the curves live, stops and resumes the run, survives a reload of the window mid-run.
// Then the Evaluate screen scores the run on validation, a confusion-matrix cell opens
// its images, a label is fixed there (the run is marked as trained on old labels), and
// the test set is evaluated twice through the lockbox (the second time marked reused).
// Then the Runs screen overlays two runs and diffs their settings, renames one and
// deletes one, and exports the first with its parity check; last, the Predict screen
// predicts a folder of new images (one of them not an image) and adds them to the
// project as suggestions, one of which is confirmed in the Library. Needs `npm run build`
// first (npm test builds).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { SHAPES, writeShapesDataset } from '../helpers/shapes-dataset.js';
import { launchBrowser, type BrowserHandle } from './helpers/browser.js';
import { repoRoot, startServe, type ServeHandle } from './helpers/serve.js';

const shotsDir = path.join(repoRoot, 'test-results');
// Enough epochs (early stopping off) that the run is still training when it is stopped.
const EPOCHS = 40;

const CLASSES: readonly string[] = SHAPES;
let tmp: string;
/** Validation images of the split, as the split command counted them. */
let VALIDATION = 0;
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
    VALIDATION = (split.last.counts as { validation: number }).validation;
    expect(VALIDATION).toBeGreaterThan(0);
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
    expect(await page.getByTestId('train-augmentation').isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('train-runs').textContent()).toContain('No runs yet');
  });

  it('names a bad field under it', async () => {
    await page.getByTestId('train-epochs').fill('0');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.locator('#train-epochs-hint + .error').textContent()).toMatch(/Epochs must be from 1 to 10,000/);
    await expect.poll(() => page.getByTestId('train-runs').textContent()).toContain('No runs yet');
  });

  it('opens the advanced settings with a live augmentation preview on the project’s own images', async () => {
    await page.getByTestId('train-advanced-toggle').click();
    expect(await page.getByTestId('train-learningRate').inputValue()).toBe('');
    await expect.poll(() => page.getByTestId('augment-preview-image').count(), { timeout: 30_000 }).toBe(8);
    // All seven versions together: one of them alone may have drawn "greyscale", which no hue changes.
    const versions = () => page.getByTestId('augment-preview-image').evaluateAll((els) => els.slice(1).map((e) => (e as unknown as { src: string }).src).join('|'));
    const first = await versions();
    expect(first).toMatch(/^data:image\/png;base64,/);
    // A stronger hue shift is drawn again on its own (debounced), the same image and draw.
    // Changed now: the hue, and the epochs left at 0 by the test before.
    await page.getByTestId('train-hue').fill('0.4');
    await expect.poll(versions, { timeout: 30_000 }).not.toBe(first);
    await expect.poll(() => page.getByTestId('train-changed').textContent()).toMatch(/2 settings changed/);
    await page.getByTestId('train-form').screenshot({ path: path.join(shotsDir, 'train-advanced.png') });
    await page.getByTestId('train-reset').click();
    await expect.poll(() => page.getByTestId('train-hue').inputValue()).toBe('0.05');
  });

  it('trains, says where, draws the curves live, stops and resumes, and survives a reload mid-run', async () => {
    await page.getByTestId('train-epochs').fill(String(EPOCHS));
    // Batch size, learning rate and early stopping sit in the advanced fold, opened by the test before.
    await page.getByTestId('train-batchSize').fill('16');
    await page.getByTestId('train-learningRate').fill('0.002');
    await page.getByTestId('train-earlyStop').uncheck();
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('train-run-backend').textContent(), { timeout: 45_000 }).toMatch(/Training on: CPU \(WebAssembly/);
    await page.getByTestId('epoch-row').first().waitFor();
    // Beside the curves: how fast it trains and how long is left.
    await expect.poll(() => page.getByTestId('train-speed').textContent()).toMatch(/images\/s/);
    await page.screenshot({ path: path.join(shotsDir, 'train-running.png') });
    // The curves have drawn live: a uPlot canvas of real size with the validation-loss colour on it.
    await expect.poll(() => page.getByTestId('train-chart-loss').locator('.uplot canvas').evaluate(inkOf), { timeout: 10_000 }).toBeGreaterThan(10);

    // Stop: the run ends after the batch in flight, its checkpoints kept; Resume goes on from the last one.
    const status = () => page.getByTestId('train-run-status').textContent();
    await page.getByTestId('train-stop').click();
    await expect.poll(status, { timeout: 30_000 }).toBe('stopped');
    const epochsAtStop = await page.getByTestId('epoch-row').count();
    expect(epochsAtStop).toBeGreaterThanOrEqual(1);
    expect(epochsAtStop).toBeLessThan(EPOCHS);
    await page.getByTestId('train-resume').click();
    await expect.poll(status, { timeout: 30_000 }).toBe('training');
    await expect.poll(() => page.getByTestId('epoch-row').count(), { timeout: 30_000 }).toBeGreaterThan(epochsAtStop);

    // Close and reopen the window: the run, its backend and its epochs come back.
    await page.reload();
    await openTrain();
    await expect.poll(status).toMatch(/training|completed/);
    await expect.poll(() => page.getByTestId('train-run-backend').textContent()).toMatch(/(Training|Trained) on: CPU \(WebAssembly/);
    await expect.poll(() => page.getByTestId('epoch-row').count()).toBeGreaterThan(epochsAtStop);

    await expect.poll(status, { timeout: 120_000 }).toBe('completed');
    // Every epoch once: the resumed run went on from where it stopped.
    await expect.poll(() => page.getByTestId('epoch-row').count()).toBe(EPOCHS);
    expect(await page.getByTestId('train-run-backend').textContent()).toMatch(/Trained on: CPU \(WebAssembly/);
    expect(await page.locator('tr.best[data-testid="epoch-row"]').count()).toBe(1);
    await expect.poll(() => page.getByTestId('train-outcome').textContent()).toMatch(/Finished/);
    // A finished run with a best checkpoint can be evaluated from here.
    await page.getByTestId('train-evaluate').waitFor();
    expect(await page.getByTestId('train-speed').textContent()).toMatch(/images\/s on average/);
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
  it('evaluates on validation: the confusion matrix, a cell\'s images, and a label fixed right there', async () => {
    await page.getByTestId('train-evaluate').click();
    await page.getByTestId('evaluate-view').waitFor();
    await page.getByTestId('evaluate-validation').click();
    const summary = page.locator('[data-testid="evaluation-summary"][data-split="validation"]');
    await summary.waitFor({ timeout: 60_000 });
    await page.getByTestId('evaluate-progress').waitFor({ state: 'detached', timeout: 60_000 });
    expect(await page.getByTestId('model-accuracy').textContent()).toMatch(/\d+(\.\d)?%/);
    // Every validation image is in one cell; the cells sum to the number evaluated.
    const cells = page.getByTestId('matrix-cell');
    expect(await cells.count()).toBe(9);
    const counts = await cells.evaluateAll((els) => els.map((e) => Number((e as unknown as { dataset: { count: string } }).dataset.count)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(VALIDATION);

    // The fullest cell opens a gallery of exactly its images.
    const fullest = counts.indexOf(Math.max(...counts));
    const cell = cells.nth(fullest);
    const actual = (await cell.getAttribute('data-actual'))!;
    const predicted = (await cell.getAttribute('data-predicted'))!;
    await cell.click();
    const gallery = page.getByTestId('cell-gallery');
    await gallery.waitFor();
    await expect.poll(() => gallery.getByTestId('eval-tile').count()).toBe(Math.min(counts[fullest]!, 24));
    await page.screenshot({ path: path.join(shotsDir, 'evaluate.png') });

    // Fix the first image's label: it becomes another class; the dataset changes at once.
    const tile = gallery.getByTestId('eval-tile').first();
    await tile.getByTestId('eval-fix').click();
    const other = CLASSES.find((c) => c !== actual)!;
    await tile.getByTestId('eval-fix-select').selectOption({ label: other });
    await tile.getByTestId('eval-fix-save').click();
    await expect.poll(() => tile.getByTestId('eval-tile-relabeled').textContent()).toMatch(new RegExp(`was ${actual}, now ${other}`));
    // The run learned the old label: the screen says so and says what to do.
    await expect.poll(() => page.getByTestId('stale-labels-banner').textContent()).toMatch(/train again/i);
    expect(predicted).toBeTruthy();
  });

  it('evaluates on test through the lockbox, twice, and marks the second use', async () => {
    await page.getByTestId('evaluate-test').click();
    const dialog = page.getByTestId('test-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('test-dialog-warning').textContent()).toMatch(/test/i);
    // Nothing happens until the user says they understand.
    expect(await dialog.getByTestId('test-dialog-proceed').isDisabled()).toBe(true);
    await dialog.getByTestId('test-dialog-understood').check();
    await dialog.getByTestId('test-dialog-proceed').click();
    const testSummary = page.locator('[data-testid="evaluation-summary"][data-split="test"]');
    await testSummary.waitFor({ timeout: 60_000 });
    await page.getByTestId('first-use').waitFor();
    expect(await page.getByTestId('reuse-mark').count()).toBe(0);

    // A second look at the test set needs a second, stronger confirmation and is marked for good.
    await page.getByTestId('evaluate-test').click();
    await dialog.waitFor();
    await dialog.getByTestId('test-dialog-understood').check();
    await dialog.getByTestId('test-dialog-proceed').click();
    await dialog.getByTestId('test-dialog-reuse').waitFor();
    expect(await dialog.getByTestId('test-dialog-proceed').isDisabled()).toBe(true);
    await dialog.getByTestId('test-dialog-reuse-understood').check();
    await dialog.getByTestId('test-dialog-proceed').click();
    await expect.poll(() => page.getByTestId('reuse-mark').textContent(), { timeout: 60_000 }).toBe('test set reused (2)');
    await page.screenshot({ path: path.join(shotsDir, 'evaluate-test.png'), fullPage: true });
    // While the window holds the project, a command that would change it is refused, naming the holder.
    const second = await runCli(['evaluate', '--project', path.join(tmp, 'project'), '--run', '1', '--split', 'test', '--confirm-test']);
    expect(second.code).toBe(1);
    expect(second.last.code).toBe('conflict');
    expect(String(second.last.message)).toMatch(/is open in Holdout \(browser/);
    // Nobody took the quiz yet: the screen offers it, to compare people with the model.
    await page.getByTestId('quiz-open').click();
    await page.getByTestId('quiz').waitFor();
  });

  it('compares two runs on the Runs screen, renames one and deletes one', async () => {
    // A second, short run with more dropout, from the form.
    await openTrain();
    await page.getByTestId('train-epochs').fill('3');
    if (!(await page.getByTestId('train-dropout').isVisible())) await page.getByTestId('train-advanced-toggle').click();
    await page.getByTestId('train-dropout').fill('0.5');
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('train-run-status').textContent(), { timeout: 60_000 }).toBe('completed');
    await expect.poll(() => page.getByTestId('train-status').textContent()).toMatch(/Run 2/);
    await page.getByTestId('tab-runs').click();
    await page.getByTestId('runs-view').waitFor();
    await expect.poll(() => page.getByTestId('runs-row').count(), { timeout: 15_000 }).toBe(2);
    // The first run learned a label fixed since: marked.
    await expect.poll(() => page.locator('[data-testid="runs-row"][data-run="1"]').getByTestId('runs-old-labels').textContent()).toMatch(/old labels/);

    for (const box of await page.getByTestId('runs-compare').all()) await box.check();
    await page.getByTestId('runs-compare-card').waitFor();
    await expect.poll(() => page.getByTestId('runs-chart-valLoss').locator('.uplot canvas').count()).toBeGreaterThan(0);
    const diff = await page.getByTestId('runs-diff-row').allTextContents();
    expect(diff.join(' ')).toMatch(/Dropout/);
    expect(diff.join(' ')).toMatch(/Epochs/);
    await page.screenshot({ path: path.join(shotsDir, 'runs-compare.png'), fullPage: true });

    const row2 = page.locator('[data-testid="runs-row"][data-run="2"]');
    await row2.getByTestId('runs-rename').click();
    await row2.getByTestId('runs-name-edit-input').fill('more dropout');
    await row2.getByTestId('runs-name-edit-input').press('Enter');
    await expect.poll(() => row2.getByTestId('runs-name').textContent()).toBe('more dropout');

    await row2.getByTestId('runs-delete').click();
    await page.getByTestId('runs-delete-items').waitFor();
    expect(await page.getByTestId('runs-delete-items').textContent()).toMatch(/checkpoint/);
    await page.getByTestId('runs-delete-confirm').click();
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(1);
    expect(fs.existsSync(path.join(tmp, 'project', 'checkpoints', '2'))).toBe(false);
    expect(browser!.problems).toEqual([]);
  });
  it('exports the run from the Runs screen and shows the parity check passed', async () => {
    const out = path.join(tmp, 'exported');
    const row1 = page.locator('[data-testid="runs-row"][data-run="1"]');
    await row1.getByTestId('runs-export').click();
    const dialog = page.getByTestId('export-dialog');
    await dialog.waitFor();
    await dialog.locator('#export-out').fill(out);
    await dialog.getByTestId('export-start').click();
    await expect.poll(() => dialog.getByTestId('export-parity').textContent(), { timeout: 90_000 }).toMatch(/Checked: on \d+ validation images/);
    const card = JSON.parse(fs.readFileSync(path.join(out, 'model-card.json'), 'utf8')) as { parity: { passed: boolean } };
    expect(card.parity.passed).toBe(true);
    expect(fs.existsSync(path.join(out, 'example', 'predict-node.mjs'))).toBe(true);
    await dialog.getByTestId('export-close').click();
  });

  it('predicts new images, says which file is not an image, and adds them as suggestions to confirm', async () => {
    const fresh = await writeShapesDataset(path.join(tmp, 'fresh'), { perClass: 2, size: 32, colourByClass: true, seed: 99 });
    fs.writeFileSync(path.join(fresh, 'notes.jpg'), 'this is text, not a picture');
    await page.getByTestId('tab-predict').click();
    await page.getByTestId('predict-view').waitFor();
    await page.getByTestId('predict-path').fill(fresh);
    await page.getByTestId('predict-add-path').click();
    await page.getByTestId('predict-start').click();
    await page.getByTestId('predict-results').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('predict-row').count()).toBe(7);
    expect(await page.getByTestId('predict-row-error').textContent()).toMatch(/not an image/);
    const predicted = await page.getByTestId('predict-class').allTextContents();
    expect(predicted).toHaveLength(6);
    for (const c of predicted) expect(CLASSES).toContain(c.trim());
    await page.screenshot({ path: path.join(shotsDir, 'predict.png') });

    await page.getByTestId('predict-add-to-project').click();
    await expect.poll(() => page.getByTestId('predict-added').textContent(), { timeout: 60_000 }).toMatch(/6/);
    // In the Library they wait, unlabeled, for a person to confirm.
    await page.getByTestId('tab-library').click();
    const banner = page.getByTestId('suggestions-banner');
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toMatch(/6 images have a suggested label/);
    await banner.getByTestId('suggestions-review').click();
    await banner.getByTestId('suggestion').first().getByTestId('suggestion-confirm').click();
    await expect.poll(() => banner.textContent()).toMatch(/5 images have a suggested label/);
    expect(browser!.problems).toEqual([]);
  });
});
