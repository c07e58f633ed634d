// The exported browser example in real Chromium: the export folder served over http by a
// tiny static server (as `npx http-server` would), tf.js loaded from the export's own
// tf.min.js, and the page's predictions for validation images compared with the app's.
// The images are already the model's input size (32 px for the CNN, 16 px for the small
// ViT), so the browser does not resize them and its pixels are sharp's: the probabilities
// must agree within 1e-4. The ViT's page must load example/holdout-layers.js (its custom
// layers) first; the CNN's page must not load it at all.
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

interface ServedExport {
  server: http.Server;
  base: string;
  out: string;
  expected: Float32Array;
  imageNames: string[];
}

/** Trains a run on shapes of `size` px, exports it (parity must pass) and serves the export with copies of its parity images. */
async function exportAndServe(settings: Record<string, unknown>, size: number): Promise<ServedExport> {
  const images = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 8, size, colourByClass: true });
  const project = path.join(tempDir(), 'project');
  expect((await runCli(['import', images, '--project', project])).code).toBe(0);
  expect((await runCli(['split', '--project', project, '--seed', '3'])).code).toBe(0);
  const db = openDatabase(path.join(project, 'holdout.db'));
  const out = path.join(tempDir(), 'export');
  let expected: Float32Array;
  let imageNames: string[];
  try {
    const runId = createRun(db, { epochs: 2, batchSize: 8, seed: 1, earlyStopping: { enabled: false }, backend: 'wasm', ...settings }).id;
    expect((await runTraining({ projectDir: project, runId, emit: () => undefined, shouldStop: () => false })).status).toBe('completed');
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
  const server = await serve(out);
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, out, expected, imageNames };
}

/** Opens the example page, waits for the model, predicts the served images; returns what was requested too. */
async function predictInPage(browser: BrowserHandle, served: ServedExport): Promise<{ got: number[]; requests: string[] }> {
  const { page } = browser;
  const requests: string[] = [];
  const onRequest = (r: { url(): string }) => requests.push(r.url());
  page.on('request', onRequest);
  try {
    await page.goto(`${served.base}/example/index.html`);
    await page.getByText(/Model ready/).waitFor();
    const results = (await page.evaluate(
      (urls) => (globalThis as unknown as { holdoutPredict(u: string[]): Promise<{ probabilities: number[] }[]> }).holdoutPredict(urls),
      served.imageNames.map((n) => `${served.base}/test-images/${n}`),
    )) as { probabilities: number[] }[];
    expect(results).toHaveLength(served.imageNames.length);
    return { got: results.flatMap((r) => r.probabilities), requests };
  } finally {
    page.off('request', onRequest);
  }
}

let browser: BrowserHandle;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the exported browser example', () => {
  let served: ServedExport;
  beforeAll(async () => {
    served = await exportAndServe({ modelKind: 'small-cnn' }, 32);
  });
  afterAll(async () => {
    await new Promise((resolve) => served?.server.close(resolve));
  });

  it('loads the model from the export with the local tf.min.js and reproduces the app within 1e-4', async () => {
    const { got, requests } = await predictInPage(browser, served);
    expect(maxAbsDiff(served.expected, got).value).toBeLessThan(1e-4);
    // Nothing was fetched from anywhere but the export's own server (tf.js is local).
    expect(requests.filter((u) => !u.startsWith(served.base))).toEqual([]);
    // A plain model never loads the custom layers file.
    expect(requests.filter((u) => u.endsWith('holdout-layers.js'))).toEqual([]);
    expect(browser.problems).toEqual([]);
  });

  it('the page predicts a file chosen with its file input', async () => {
    const { page } = browser;
    await page.locator('#file').setInputFiles(path.join(served.out, 'test-images', served.imageNames[0]!));
    await expect.poll(() => page.locator('#verdict').textContent()).toMatch(/This looks like: (circle|square|triangle)/);
    expect(await page.locator('#result li').count()).toBe(3);
  });
});

describe('the exported browser example of a small Vision Transformer', () => {
  let served: ServedExport;
  beforeAll(async () => {
    served = await exportAndServe({ modelKind: 'small-vit', inputSize: 16 }, 16);
  });
  afterAll(async () => {
    await new Promise((resolve) => served?.server.close(resolve));
  });

  it('registers the layers from the export\'s holdout-layers.js and reproduces the app within 1e-4', async () => {
    const { got, requests } = await predictInPage(browser, served);
    expect(maxAbsDiff(served.expected, got).value).toBeLessThan(1e-4);
    expect(requests).toContain(`${served.base}/example/holdout-layers.js`);
    expect(requests.filter((u) => !u.startsWith(served.base))).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
