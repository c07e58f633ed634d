// The Import dialog's handling of a running import, in a real Chromium against the
// fake bridge (helpers/fake-import.ts), where timing is under the test's control:
// a reload restores the progress view, Hide leaves a chip in the top bar, Cancel ends
// in a report with the bad files, and an import that finishes before import.start
// answers still shows its summary.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserHandle } from './helpers/browser.js';
import { startFakeBridge, type FakeBridge } from './helpers/fake-bridge.js';
import { FAKE_IMPORT_ERRORS, fakeImport } from './helpers/fake-import.js';
import { repoRoot } from './helpers/serve.js';

let bridge: FakeBridge | undefined;
let browser: BrowserHandle | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const p of browser?.context.pages() ?? []) await p.close();
  await bridge?.close();
  bridge = undefined;
});

describe('Import dialog with a running import', () => {
  it('restores the progress view after a reload, hides to a chip, and cancels', async () => {
    bridge = await startFakeBridge(48, fakeImport({ runningAtStart: 100_000, perTick: 20 }));
    const { page, problems } = await browser!.newPage();

    await page.goto(bridge.url);
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('import-progress').waitFor();
    await expect.poll(() => dialog.getByTestId('import-progress').innerText()).toMatch(/of 100,000 files/);
    await expect.poll(() => dialog.getByTestId('import-progress').innerText()).toMatch(/files\/s · about .* left/);
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'import-progress.png') });

    await page.reload();
    await dialog.getByTestId('import-progress').waitFor();

    await dialog.getByRole('button', { name: 'Hide' }).click();
    await dialog.waitFor({ state: 'detached' });
    const chip = page.getByTestId('import-chip');
    await expect.poll(() => chip.innerText()).toMatch(/Importing \d+%/);
    await chip.click();
    await dialog.getByTestId('import-progress').waitFor();

    await dialog.getByTestId('cancel-import').click();
    await dialog.getByTestId('import-report').waitFor();
    expect(await dialog.getByRole('heading', { level: 2 }).innerText()).toBe('Import cancelled');
    expect(await dialog.getByTestId('import-headline').innerText()).toContain('Import cancelled');
    const rows = await dialog.locator('[data-testid="bad-files"] tbody tr').allInnerTexts();
    expect(rows).toHaveLength(FAKE_IMPORT_ERRORS.length);
    for (const e of FAKE_IMPORT_ERRORS) expect(rows.some((r) => r.includes(path.basename(e.path)) && r.includes(e.reason))).toBe(true);
    await dialog.getByTestId('import-done').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await chip.count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('shows the summary of an import that finished before import.start answered', async () => {
    bridge = await startFakeBridge(48, fakeImport({ finishBeforeAnswer: true }));
    const { page, problems } = await browser!.newPage();

    await page.goto(bridge.url);
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByLabel('A folder of unlabeled images').check();
    await dialog.locator('#import-path').fill('/photos');
    await dialog.getByTestId('start-import').click();
    await dialog.getByTestId('import-report').waitFor();
    expect(await dialog.getByTestId('import-headline').innerText()).toContain('Imported 22 new images');
    expect(problems).toEqual([]);
  });

  it('asks for a path before starting, and shows the server’s refusal under the field', async () => {
    bridge = await startFakeBridge(48, () => ({
      'import.active': () => null,
      'import.start': () => {
        throw Object.assign(new Error('/nowhere does not exist'), { code: 'not_found', field: 'source.folder' });
      },
    }));
    const { page, problems } = await browser!.newPage();
    await page.goto(bridge.url);
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('start-import').click();
    await expect.poll(() => dialog.locator('#import-path-error').innerText()).toContain('Type the folder');
    await dialog.locator('#import-path').fill('/nowhere');
    await dialog.getByTestId('start-import').click();
    await expect.poll(() => dialog.locator('#import-path-error').innerText()).toBe('/nowhere does not exist');
    expect(await dialog.locator('#import-path').getAttribute('aria-invalid')).toBe('true');
    expect(problems).toEqual([]);
  });
});
