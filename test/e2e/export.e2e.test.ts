// The exported browser example in real Chromium: the export folder served over http by a
// tiny static server (as `npx http-server` would), tf.js loaded from the export's own
// tf.min.js, and the page's predictions for validation images compared with the app's.
// The images are 32 px and the model's input is 32 px, so the browser does not resize
// them and its pixels are sharp's: the probabilities must agree within 1e-4.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRun } from '../../electron/engine/export/export-run.js';
import { loadExportModels } from '../../electron/engine/export/export-members.js';
import { inAppProbabilities, maxAbsDiff, paritySample } from '../../electron/engine/export/parity.js';
import { openDatabase } from '../../electron/engine/store/database.js';
import { createRun } from '../../electron/engine/train/run/create-run.js';
import { runTraining } from '../../electron/engine/train/run/run-training.js';
import { runCli } from '../helpers/run-cli.js';
import { writeShapesDataset } from '../helpers/shapes-dataset.js';
import { tempDirFactory } from '../helpers/temp-dir.js';
import { launchBrowser, type BrowserHandle } from './helpers/browser.js';

const tempDir = tempDirFactory('holdout-export-e2e-');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.png': 'image/png', '.bin': 'application/octet-stream' };

/** Serves files under root, GET only, nothing outside it. */
function serve(root: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('the exported browser example', () => {
  let browser: BrowserHandle;
  let server: http.Server;
  let out: string;
  let expected: Float32Array;
  let imageNames: string[];
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 8, size: 32, colourByClass: true });
    const project = path.join(tempDir(), 'project');
    expect((await runCli(['import', images, '--project', project])).code).toBe(0);
    expect((await runCli(['split', '--project', project, '--seed', '3'])).code).toBe(0);
    const db = openDatabase(path.join(project, 'holdout.db'));
    try {
      const runId = createRun(db, { modelKind: 'small-cnn', epochs: 2, batchSize: 8, seed: 1, earlyStopping: { enabled: false }, backend: 'wasm' }).id;
      expect((await runTraining({ projectDir: project, runId, emit: () => undefined, shouldStop: () => false })).status).toBe('completed');
      out = path.join(tempDir(), 'export');
      expect((await exportRun(db, project, runId, out)).parity.passed).toBe(true);
      const models = await loadExportModels(db, project, runId);
      try {
        const items = paritySample(db, models);
        expected = await inAppProbabilities(project, models, items);
        // The served folder holds the export and, beside it, copies of the images.
        fs.mkdirSync(path.join(out, 'test-images'));
        imageNames = items.map((item, i) => {
          const name = `${i}.png`;
          fs.copyFileSync(item.pathBytes, path.join(out, 'test-images', name));
          return name;
        });
      } finally {
        models.dispose();
      }
    } finally {
      db.close();
    }
    server = await serve(out);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('loads the model from the export with the local tf.min.js and reproduces the app within 1e-4', async () => {
    const { page, problems } = browser;
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await page.goto(`${base}/example/index.html`);
    await page.getByText(/Model ready/).waitFor();
    const results = (await page.evaluate(
      (urls) => (globalThis as unknown as { holdoutPredict(u: string[]): Promise<{ probabilities: number[] }[]> }).holdoutPredict(urls),
      imageNames.map((n) => `${base}/test-images/${n}`),
    )) as { probabilities: number[] }[];
    expect(results).toHaveLength(imageNames.length);
    const got = results.flatMap((r) => r.probabilities);
    expect(maxAbsDiff(expected, got).value).toBeLessThan(1e-4);
    // Nothing was fetched from anywhere but the export's own server (tf.js is local).
    expect(requests.filter((u) => !u.startsWith(base))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('the page predicts a file chosen with its file input', async () => {
    const { page } = browser;
    await page.locator('#file').setInputFiles(path.join(out, 'test-images', imageNames[0]!));
    await expect.poll(() => page.locator('#verdict').textContent()).toMatch(/This looks like: (circle|square|triangle)/);
    expect(await page.locator('#result li').count()).toBe(3);
  });
});
