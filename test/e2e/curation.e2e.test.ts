// Labeling end to end, in a real Chromium against the real `holdout serve`: import a
// generated folder as unlabeled images, add classes, label 20 images from the keyboard
// in the Unlabeled queue, undo two, mark a selection (shift-click, Space) and label it
// in one go, merge two classes, exclude an image with a reason, then reload and check
// every count (and that undo still works after the reload). Then "Look at your data":
// the seeded sample, the class balance (a bar filters the Library), extremes,
// duplicates with "keep one", and the files that failed.
// Needs `npm run build` first (npm test builds).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeSyntheticProject } from '../helpers/synthetic-project.js';
import type { BrowserHandle } from './helpers/browser.js';
import { FIXTURE_CLASSES, IMAGES_PER_CLASS, makeShapesFolder } from './helpers/fixtures.js';
import { repoRoot, type ServeHandle } from './helpers/serve.js';
import { openE2eSession, type E2eSession } from './helpers/session.js';

// The fixture plus one exact copy of a circle, so the duplicate views have something to show.
const TOTAL = FIXTURE_CLASSES.length * IMAGES_PER_CLASS + 1;
const CLASSES = ['circle', 'square', 'triangle', 'blob'];
const shotsDir = path.join(repoRoot, 'test-results');

let session: E2eSession | undefined;
let tmp: string;
let server: ServeHandle | undefined;
let browser: BrowserHandle | undefined;
let page: Page;

/** What the sidebar says, as numbers: every class, the unlabeled ones and the total. */
async function counts(p: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const num = async (sel: string) => Number((await p.locator(`${sel} [data-testid="count"]`).innerText()).replace(/\D/g, ''));
  out.all = await num('[data-testid="filter-all"]');
  out.unlabeled = await num('[data-testid="filter-unlabeled"]');
  for (const el of await p.locator('[data-testid="filter-class"]').all()) {
    const name = (await el.getAttribute('data-class')) ?? '?';
    out[name] = Number((await el.locator('[data-testid="count"]').innerText()).replace(/\D/g, ''));
  }
  return out;
}

/** expect.poll with room for a busy machine (two cores shared with the other tests). */
function eventually<T>(fn: () => T | Promise<T>) {
  return expect.poll(fn, { timeout: 15_000 });
}

/** The counts the test expects, kept in step with each action. */
const expected: Record<string, number> = { all: TOTAL, unlabeled: TOTAL, circle: 0, square: 0, triangle: 0, blob: 0 };

async function expectCounts(p: Page): Promise<void> {
  await eventually(() => counts(p)).toEqual(expected);
}

describe('Labeling in the browser', () => {
  beforeAll(async () => {
    fs.mkdirSync(shotsDir, { recursive: true });
    session = await openE2eSession({
      prefix: 'holdout-e2e-cur-',
      prepare: async (dir) => {
        await makeShapesFolder(path.join(dir, 'photos'));
        fs.copyFileSync(path.join(dir, 'photos', 'circle', 'circle-01.png'), path.join(dir, 'photos', 'square', 'copy-of-circle.png'));
      },
    });
    ({ tmp, server, browser, page } = session);
  });

  afterAll(() => session?.close());

  it('creates a project and imports the photos as unlabeled images', async () => {
    await page.goto(server!.url);
    await page.locator('#create-dir').fill(path.join(tmp, 'project'));
    await page.locator('#create-name').fill('Shapes');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByTestId('library-empty').waitFor();

    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByLabel('A folder of unlabeled images').check();
    await dialog.locator('#import-path').fill(path.join(tmp, 'photos'));
    await dialog.getByTestId('start-import').click();
    await dialog.getByTestId('import-report').waitFor({ timeout: 90_000 });
    await dialog.getByTestId('import-done').click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => counts(page)).toEqual({ all: TOTAL, unlabeled: TOTAL });
  });

  it('adds four classes in the class manager, numbered 1–4 in the sidebar', async () => {
    await page.getByTestId('manage-classes').click();
    const manager = page.getByTestId('class-manager');
    for (const name of CLASSES) {
      await manager.getByLabel('New class').fill(name);
      await manager.getByRole('button', { name: 'Add class' }).click();
      await manager.locator(`[data-testid="manage-class"][data-class="${name}"]`).waitFor();
    }
    await manager.getByRole('button', { name: 'Done' }).click();
    await manager.waitFor({ state: 'detached' });
    await expectCounts(page);
    const keys = await page.locator('[data-testid="filter-class"]').evaluateAll((els) =>
      els.map((e) => `${e.querySelector('[data-testid="class-key"]')?.textContent}:${e.getAttribute('data-class')}`),
    );
    // The sidebar lists classes by name; each has its own key.
    expect(new Set(keys.map((k) => k.split(':')[0]))).toEqual(new Set(['1', '2', '3', '4']));
  });

  /** The sidebar's class at key `n`. */
  async function classAtKey(n: number): Promise<string> {
    const el = page.locator('[data-testid="filter-class"]').nth(n - 1);
    return (await el.getAttribute('data-class')) ?? '';
  }

  it('labels 20 images from the keyboard in the Unlabeled queue, which advances by itself', async () => {
    await page.getByTestId('filter-unlabeled').click();
    await page.locator('[data-testid="tile"][data-index="0"] img').waitFor();
    await page.locator('[data-testid="tile"][data-index="0"]').click();
    await page.keyboard.press('Escape');
    for (let i = 0; i < 20; i++) {
      const key = (i % 3) + 1;
      await page.keyboard.press(String(key));
      expected[await classAtKey(key)]! += 1;
      expected.unlabeled! -= 1;
      // Each label is saved and counted before the next key.
      await eventually(() => counts(page).then((c) => c.unlabeled)).toBe(expected.unlabeled);
    }
    await expectCounts(page);
    await eventually(() => page.getByTestId('grid-count').innerText()).toContain(`${TOTAL - 20} images`);
    // The queue kept the first place selected: the next unlabeled image is there.
    expect(await page.locator('[data-testid="tile"][data-current="true"]').getAttribute('data-index')).toBe('0');
    await page.screenshot({ path: path.join(shotsDir, 'labeling-queue.png') });
  });

  it('undoes the last two labels with Ctrl+Z', async () => {
    // The last two keys were 1+(18%3)=1 and 1+(19%3)=2.
    await page.keyboard.press('Control+z');
    expected[await classAtKey(2)]! -= 1;
    expected.unlabeled! += 1;
    await expectCounts(page);
    await page.keyboard.press('Control+z');
    expected[await classAtKey(1)]! -= 1;
    expected.unlabeled! += 1;
    await expectCounts(page);
    await eventually(() => page.getByTestId('label-status').innerText()).toContain('Undid');
    // Redo and undo again round-trip.
    await page.keyboard.press('Control+Shift+Z');
    expected[await classAtKey(1)]! += 1;
    expected.unlabeled! -= 1;
    await expectCounts(page);
    await page.getByTestId('undo').click();
    expected[await classAtKey(1)]! -= 1;
    expected.unlabeled! += 1;
    await expectCounts(page);
  });

  it('marks a range with shift-click and more with Space, and labels them all with one key', async () => {
    expect(expected.unlabeled).toBe(7);
    await eventually(() => page.getByTestId('tile').count()).toBe(7);
    await page.locator('[data-testid="tile"][data-index="0"]').click();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="tile"][data-index="2"]').click({ modifiers: ['Shift'] });
    await eventually(() => page.locator('[data-testid="tile"].marked').count()).toBe(3);
    // Space on two more: the cursor moves with the arrows, Space marks.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await eventually(() => page.locator('[data-testid="tile"].marked').count()).toBe(5);
    await eventually(() => page.getByTestId('selection-count').innerText()).toContain('5 images marked');
    await page.screenshot({ path: path.join(shotsDir, 'labeling-marked.png') });
    await page.keyboard.press('4');
    expected[await classAtKey(4)]! += 5;
    expected.unlabeled! -= 5;
    await expectCounts(page);
    await eventually(() => page.getByTestId('label-status').innerText()).toContain('Labeled 5 images');
    // One action: one undo takes all five back.
    await page.keyboard.press('Control+z');
    expected[await classAtKey(4)]! -= 5;
    expected.unlabeled! += 5;
    await expectCounts(page);
    await page.keyboard.press('Control+Shift+z');
    expected[await classAtKey(4)]! += 5;
    expected.unlabeled! -= 5;
    await expectCounts(page);
  });

  it('marks a range by dragging across tiles', async () => {
    const first = await page.locator('[data-testid="tile"][data-index="0"]').boundingBox();
    const second = await page.locator('[data-testid="tile"][data-index="1"]').boundingBox();
    await page.mouse.move(first!.x + 40, first!.y + 40);
    await page.mouse.down();
    await page.mouse.move(second!.x + 40, second!.y + 40, { steps: 5 });
    await page.mouse.up();
    await eventually(() => page.locator('[data-testid="tile"].marked').count()).toBe(2);
    await page.getByTestId('clear-marks').click();
    await eventually(() => page.locator('[data-testid="tile"].marked').count()).toBe(0);
    await expectCounts(page);
  });

  it('renames a class, deletes one (its images go where asked) and undoes the delete', async () => {
    await page.getByTestId('manage-classes').click();
    const manager = page.getByTestId('class-manager');
    const blob = manager.locator('[data-testid="manage-class"][data-class="blob"]');
    const square = manager.locator('[data-testid="manage-class"][data-class="square"]');
    await blob.getByRole('button', { name: 'Rename…' }).click();
    await blob.getByLabel('New name for blob').fill('blobs');
    // A slow rename (its answer held back) must not close the delete started meanwhile.
    const RENAME = '**/api/call/classes.rename';
    await page.route(RENAME, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await blob.getByRole('button', { name: 'Rename', exact: true }).click();
    await square.getByRole('button', { name: 'Delete…' }).click();
    await manager.locator('[data-testid="manage-class"][data-class="blobs"]').waitFor();
    await page.unroute(RENAME);
    // The rename is done once the manager is no longer busy ("Add class" enabled again).
    await eventually(() => manager.getByRole('button', { name: 'Add class' }).isEnabled()).toBe(true);
    expect(await square.getByTestId('confirm-delete').count(), 'the delete form stays open after the rename lands').toBe(1);

    // The list is read again after the rename: wait until it shows square's images, as a person would.
    await eventually(() => square.locator('.count').textContent()).toBe(`${expected.square} images`);
    await square.getByLabel(/Where do its \d+ images go\?/).selectOption({ label: 'Unlabeled' });
    await square.getByTestId('confirm-delete').click();
    await square.waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(shotsDir, 'class-manager.png') });
    await manager.getByRole('button', { name: 'Done' }).click();
    await manager.waitFor({ state: 'detached' });
    const squares = expected.square!;
    await eventually(() => counts(page)).toEqual({
      all: TOTAL,
      unlabeled: expected.unlabeled! + squares,
      circle: expected.circle,
      triangle: expected.triangle,
      blobs: expected.blob,
    });
    // The delete is one undoable action: the class and its images come back.
    await page.keyboard.press('Control+z');
    await eventually(() => counts(page)).toEqual({
      all: TOTAL,
      unlabeled: expected.unlabeled,
      circle: expected.circle,
      square: squares,
      triangle: expected.triangle,
      blobs: expected.blob,
    });
    expected.blobs = expected.blob!;
    delete expected.blob;
  });

  it('merges blobs into circle', async () => {
    await page.getByTestId('manage-classes').click();
    const manager = page.getByTestId('class-manager');
    const row = manager.locator('[data-testid="manage-class"][data-class="blobs"]');
    await row.getByRole('button', { name: 'Merge into…' }).click();
    await row.getByLabel(/Move all 5 images of blobs into/).selectOption({ label: 'circle' });
    await row.getByTestId('confirm-merge').click();
    await row.waitFor({ state: 'detached' });
    await manager.getByRole('button', { name: 'Done' }).click();
    expected.circle! += expected.blobs!;
    delete expected.blobs;
    await expectCounts(page);
  });

  it('takes a label off with Backspace, anywhere in the Library', async () => {
    await page.getByTestId('filter-all').click();
    const tile = page.locator('[data-testid="tile"][data-index="0"]');
    await tile.locator('img').waitFor();
    // Right after the merge the tile may still hold the merged-away class until
    // the page of tiles is fetched again: wait for the label it has now.
    await eventually(async () => (await tile.getAttribute('data-class')) ?? '').not.toBe('');
    const cls = (await tile.getAttribute('data-class')) ?? '';
    expect(Object.keys(expected)).toContain(cls);
    await tile.click();
    await page.keyboard.press('Escape');
    // The focus is on a sidebar button, not the grid: the keys still label.
    await page.getByTestId('filter-all').focus();
    await page.keyboard.press('Backspace');
    expected[cls]! -= 1;
    expected.unlabeled! += 1;
    await expectCounts(page);
    await page.keyboard.press('Control+y');
    await eventually(() => page.getByTestId('label-status').innerText()).toContain('Nothing to redo');
    await page.keyboard.press('Control+z');
    expected[cls]! += 1;
    expected.unlabeled! -= 1;
    await expectCounts(page);
  });

  it('excludes an image from training with a reason', async () => {
    await page.getByTestId('filter-all').click();
    await page.locator('[data-testid="tile"][data-index="3"] img').waitFor();
    await page.locator('[data-testid="tile"][data-index="3"]').click();
    await page.getByTestId('exclude').click();
    const dialog = page.getByTestId('exclude-dialog');
    await dialog.getByRole('button', { name: 'Blurry or unreadable' }).click();
    await dialog.getByTestId('confirm-exclude').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-testid="tile"][data-index="3"] .flag').waitFor();
    await eventually(() => page.getByTestId('detail-panel').innerText()).toContain('Blurry or unreadable');
    await page.screenshot({ path: path.join(shotsDir, 'labeling-excluded.png') });
  });

  it('exports the labels as a CSV file in the project folder', async () => {
    await page.getByTestId('export-labels').click();
    await eventually(() => page.getByTestId('label-status').innerText()).toMatch(/Saved \d+ rows of labels to /);
    const text = await page.getByTestId('label-status').innerText();
    const file = text.replace(/^.* to /, '').trim();
    expect(file.startsWith(path.join(tmp, 'project'))).toBe(true);
    const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^path,label,group,split/);
    // Included images only: the one excluded is left out.
    expect(lines.length - 1).toBe(TOTAL - 1);
  });

  it('has the same counts after a reload, and undo still works', async () => {
    await page.reload();
    await page.getByTestId('project-name').getByText('Shapes').waitFor();
    await expectCounts(page);
    await page.locator('[data-testid="tile"] img').first().waitFor();
    await eventually(() => page.locator('[data-testid="tile"] .flag').count()).toBe(1);
    // The history is kept in the project: the exclusion can be undone after the reload.
    await eventually(() => page.getByTestId('undo').isEnabled()).toBe(true);
    await page.getByTestId('undo').click();
    await eventually(() => page.locator('[data-testid="tile"] .flag').count()).toBe(0);
    await expectCounts(page);
  });

  it('shows a seeded random sample, and a new one on "Shuffle again"', async () => {
    await page.getByTestId('tab-look').click();
    const main = page.getByTestId('look-main');
    await eventually(() => main.getByTestId('look-tile').count()).toBe(TOTAL);
    const seed = await page.getByTestId('sample-seed').innerText();
    expect(seed).toMatch(/^Seed \d+$/);
    await page.getByTestId('shuffle').click();
    await eventually(() => page.getByTestId('sample-seed').innerText()).not.toBe(seed);
    // A tile opens the detail panel.
    await main.getByTestId('look-tile').first().click();
    await page.getByTestId('detail-panel').getByTestId('detail-class').waitFor();
    await page.screenshot({ path: path.join(shotsDir, 'look-sample.png') });
  });

  it('shows the class balance, largest first, and a bar opens the Library on that class', async () => {
    await page.getByTestId('look-histogram').click();
    const bars = page.getByTestId('histogram-bar');
    await eventually(() => bars.count()).toBe(3);
    const rows = await bars.evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-class'), e.querySelector('[data-testid="bar-count"]')?.textContent]),
    );
    const shown = Object.fromEntries(rows.map(([n, c]) => [n, Number(c)]));
    expect(shown).toEqual({ circle: expected.circle, square: expected.square, triangle: expected.triangle });
    const numbers = rows.map(([, c]) => Number(c));
    expect([...numbers].sort((a, b) => b - a)).toEqual(numbers);
    expect(await page.getByTestId('imbalance').innerText()).toMatch(/×$/);
    await page.screenshot({ path: path.join(shotsDir, 'look-histogram.png') });

    await page.locator('[data-testid="histogram-bar"][data-class="square"]').click();
    await page.getByRole('heading', { name: 'square' }).waitFor();
    await eventually(() => page.getByTestId('grid-count').innerText()).toContain(`${expected.square} images`);
    await page.getByTestId('tab-look').click();
  });

  it('lists the smallest files with their sizes', async () => {
    await page.getByTestId('look-bytes-smallest').click();
    const main = page.getByTestId('look-main');
    await eventually(() => main.getByTestId('look-tile').count()).toBe(TOTAL);
    expect(await main.locator('.caption').first().innerText()).toMatch(/^\d[\d.,]* (bytes|KB)$/);
    await page.getByTestId('look-aspect-largest').click();
    await eventually(() => main.locator('.caption').first().innerText()).toMatch(/: 1/);
  });

  it('finds the exact duplicate and "keep one" excludes the other copy', async () => {
    await page.getByTestId('look-exact').click();
    const cluster = page.getByTestId('cluster');
    await eventually(() => cluster.count()).toBe(1);
    await eventually(() => cluster.getByTestId('look-tile').count()).toBe(2);
    await page.screenshot({ path: path.join(shotsDir, 'look-duplicates.png') });
    await cluster.getByTestId('keep-one').click();
    await eventually(() => cluster.locator('.flag').count()).toBe(1);
    await eventually(() => cluster.getByTestId('keep-one').isDisabled()).toBe(true);
    // Near duplicates at the loosest setting include the exact copies.
    await page.getByTestId('look-near').click();
    await page.getByTestId('near-threshold').fill('12');
    await eventually(() => page.getByTestId('cluster-summary').innerText()).toMatch(/group/);
    await page.screenshot({ path: path.join(shotsDir, 'look-near.png') });
    // "Keep this one" keeps another copy than the suggested one and excludes the rest.
    // (The first group with a choice left: the exact pair above is already decided.)
    const flags = page.getByTestId('cluster').locator('.flag');
    const before = await flags.count();
    const open = page.getByTestId('cluster').filter({ has: page.getByRole('button', { name: 'Keep this one' }) }).first();
    const size = await open.getByTestId('look-tile').count();
    await open.getByRole('button', { name: 'Keep this one' }).first().click();
    await eventually(() => page.getByRole('status').innerText()).toContain('Kept one');
    await eventually(() => flags.count()).toBe(before + size - 1);
    await page.getByTestId('look-conflicts').click();
    await eventually(() => page.getByTestId('cluster-summary').innerText()).not.toBe('');
  });

  it('lists the files the import could not read, with reasons', async () => {
    await page.getByTestId('look-bad').click();
    const rows = page.locator('[data-testid="bad-files"] tbody tr');
    await eventually(() => rows.count()).toBe(2);
    const text = (await rows.allInnerTexts()).join('\n');
    expect(text).toContain('empty.jpg');
    expect(text).toContain('notes.png');
  });

  it('runs a 5-question quiz by keyboard and click, and keeps the result', async () => {
    await page.getByTestId('tab-quiz').click();
    await page.getByLabel('How many images').fill('5');
    await page.getByTestId('quiz-start').click();
    const progress = page.getByTestId('quiz-progress');
    await eventually(() => progress.innerText()).toBe('Image 1 of 5');
    await page.getByTestId('quiz-image').waitFor();
    await eventually(() => page.getByTestId('quiz-choice').count()).toBe(3);
    await page.screenshot({ path: path.join(shotsDir, 'quiz-question.png') });
    // The label is not on the screen.
    expect(await page.getByTestId('quiz').innerText()).not.toMatch(/circle\s*$/);
    await page.keyboard.press('1');
    await eventually(() => progress.innerText()).toBe('Image 2 of 5');
    await page.keyboard.press('2');
    await eventually(() => progress.innerText()).toBe('Image 3 of 5');
    await page.keyboard.press('3');
    await eventually(() => progress.innerText()).toBe('Image 4 of 5');
    await page.locator('[data-testid="quiz-choice"][data-class="circle"]').click();
    await eventually(() => progress.innerText()).toBe('Image 5 of 5');
    await page.keyboard.press('0');

    const result = page.getByTestId('quiz-result');
    await result.waitFor();
    const line = await result.locator('.big').innerText();
    const m = /right: (\d+) of 5 answered/.exec(line);
    expect(m, line).not.toBeNull();
    const correct = Number(m![1]);
    expect(correct).toBeLessThanOrEqual(4); // "not sure" is never right
    expect(await page.getByTestId('quiz-accuracy').innerText()).toBe(`${Math.round((correct / 5) * 100)} %`);
    await eventually(() => result.locator('[data-testid="quiz-missed"] li').count()).toBe(5 - correct);
    expect(await result.getByText('Not sure').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shotsDir, 'quiz-result.png'), fullPage: true });

    await result.getByRole('button', { name: 'Back to quizzes' }).click();
    await eventually(() => page.locator('[data-testid="quiz-past"] tbody tr').count()).toBe(1);
    await page.reload();
    await page.getByTestId('tab-quiz').click();
    await eventually(() => page.getByTestId('past-accuracy').innerText()).toBe(`${Math.round((correct / 5) * 100)} %`);
  });

  it('hides the test images from "Look at your data" once a split exists, and shows them badged when asked', async () => {
    const res = await fetch(`${new URL(server!.url).origin}/api/call/split.save`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server!.token}` },
      body: JSON.stringify({ seed: 5 }),
    });
    const saved = (await res.json()) as { ok: boolean; value: { counts: { test: number } } };
    expect(saved.ok).toBe(true);
    const testCount = saved.value.counts.test;
    expect(testCount).toBeGreaterThan(0);

    await page.getByTestId('tab-look').click();
    await page.getByTestId('look-sample').click();
    const main = page.getByTestId('look-main');
    await eventually(() => main.getByTestId('look-tile').count()).toBe(TOTAL - testCount);
    await eventually(() => page.getByTestId('look-show-test-label').innerText()).toBe(`Show test images (${testCount} hidden)`);
    expect(await main.getByTestId('test-badge').count()).toBe(0);

    await page.getByTestId('look-show-test').check();
    await eventually(() => main.getByTestId('look-tile').count()).toBe(TOTAL);
    await eventually(() => main.locator('[data-testid="look-tile"][data-test-image="true"]').count()).toBe(testCount);
    expect(await main.getByTestId('test-badge').count()).toBe(testCount);
    expect(await page.getByTestId('look-show-test-label').innerText()).toBe(`Show test images (${testCount} shown)`);
    await page.screenshot({ path: path.join(shotsDir, 'look-test-shown.png') });
    // Another view keeps the choice while the screen is open.
    await page.getByTestId('look-bytes-largest').click();
    await eventually(() => main.getByTestId('look-tile').count()).toBe(TOTAL);
    await eventually(() => main.getByTestId('test-badge').count()).toBe(testCount);

    // A new visit starts with the test set hidden again.
    await page.getByTestId('tab-library').click();
    await page.getByTestId('tab-look').click();
    await eventually(() => main.getByTestId('look-tile').count()).toBe(TOTAL - testCount);
    expect(await page.getByTestId('look-show-test').isChecked()).toBe(false);
  });

  it('ran without errors in the page', () => {
    expect(browser!.problems).toEqual([]);
  });
});

describe('"Show more" in the duplicate views', () => {
  // 200 rows over a pool of 80 pictures: 80 groups of exact copies, more than one page.
  const GROUPS = 80;
  let paging: E2eSession | undefined;

  beforeAll(async () => {
    paging = await openE2eSession({
      prefix: 'holdout-e2e-paging-',
      prepare: async (dir) => {
        await makeSyntheticProject(path.join(dir, 'project'), 200, { thumbPool: GROUPS, classes: 3 });
        return path.join(dir, 'project');
      },
    });
  });

  afterAll(() => paging?.close());

  it('shows the groups a page at a time, and keeps them shown after a "keep one"', async () => {
    const p = paging!.page;
    await p.goto(paging!.server.url);
    await p.getByTestId('project-name').waitFor();
    await p.getByTestId('tab-look').click();
    await p.getByTestId('look-exact').click();
    const groups = p.getByTestId('cluster');
    await eventually(() => groups.count()).toBe(30);
    expect(await p.getByTestId('cluster-summary').innerText()).toContain(`${GROUPS} groups`);
    const more = p.getByTestId('show-more-groups');
    expect(await more.innerText()).toBe('Show 30 more');
    await more.click();
    await eventually(() => groups.count()).toBe(60);
    // Every group once: the first image of each is a different picture.
    const firstSrcs = await groups.evaluateAll((els) => els.map((e) => e.querySelector('img')?.getAttribute('src')));
    expect(new Set(firstSrcs).size).toBe(60);
    expect(await more.innerText()).toBe('Show 20 more');
    await more.scrollIntoViewIfNeeded();
    await p.screenshot({ path: path.join(shotsDir, 'look-show-more.png') });

    // "Keep one" reloads the view: the 60 groups stay on screen.
    await groups.nth(45).getByTestId('keep-one').click();
    await eventually(() => p.getByRole('status').innerText()).toContain('Kept one');
    await eventually(() => groups.nth(45).getByTestId('keep-one').isDisabled()).toBe(true);
    expect(await groups.count()).toBe(60);
    await more.click();
    await eventually(() => groups.count()).toBe(GROUPS);
    expect(await more.count()).toBe(0);
    expect(paging!.browser.problems).toEqual([]);
  });
});
