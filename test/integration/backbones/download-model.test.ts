// Downloading a TF.js model from a local HTTP server (node:http, in this test) that
// serves a model the test made: the happy path through to a loadable backbone, and the
// ways a download goes wrong — a 404 shard, a connection cut mid-file, a stalled
// server, no server at all, a model too large, a cancel. None may leave a folder behind.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../electron/engine/train/backend/use-backend.js';
import { loadBackbone } from '../../../electron/engine/train/backbones/backbone.js';
import { onlineCatalog, type CatalogEntry } from '../../../electron/engine/train/backbones/catalog.js';
import { downloadModelFolder, type DownloadProgress } from '../../../electron/engine/train/backbones/download-model.js';
import { installOnlineModel } from '../../../electron/engine/train/backbones/install-online-model.js';
import { loadLayersModelFromFolder } from '../../../electron/engine/train/backbones/load-model-folder.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { fixtureCnn, saveLayersFolder, stripeImages } from './helpers/fixture-model.js';

const tempDir = tempDirFactory('holdout-download-');
let server: http.Server;
let base: string;
let modelDir: string;
const requests: string[] = [];

/**
 * /<mode>/<file>: serves the fixture folder. Shards need "?tfjs-format=file", as TF Hub's
 * do. Modes: ok; missing (second shard 404); cut (second shard: half, then the socket
 * is destroyed); stall (second shard: headers and a few bytes, then nothing); html
 * (model.json is an HTML page).
 */
function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  requests.push(url.pathname + url.search);
  const [, mode, file] = url.pathname.split('/');
  const filePath = path.join(modelDir, file ?? '');
  if (!file || !fs.existsSync(filePath) || (file !== 'model.json' && url.search !== '?tfjs-format=file')) {
    res.writeHead(404).end('not found');
    return;
  }
  const body = fs.readFileSync(filePath);
  const second = file === 'group1-shard2of2.bin';
  if (mode === 'html' && file === 'model.json') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in to continue</html>');
  } else if (mode === 'missing' && second) {
    res.writeHead(404, 'Not Found').end();
  } else if (mode === 'cut' && second) {
    res.writeHead(200, { 'content-length': body.length });
    res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
  } else if (mode === 'stall' && second) {
    res.writeHead(200, { 'content-length': body.length });
    res.write(body.subarray(0, 16));
  } else {
    res.writeHead(200, { 'content-length': body.length }).end(body);
  }
}

beforeAll(async () => {
  await useBackend('wasm');
  modelDir = path.join(tempDir(), 'served');
  const model = fixtureCnn();
  await saveLayersFolder(model, modelDir, 2);
  model.dispose();
  server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function nothingLeft(parent: string): void {
  expect(fs.readdirSync(parent)).toEqual([]);
}

describe('downloading a model folder', () => {
  it('fetches model.json then each shard, reports progress, and writes the folder', async () => {
    const parent = tempDir();
    const dest = path.join(parent, 'model');
    const events: DownloadProgress[] = [];
    requests.length = 0;
    const result = await downloadModelFolder(`${base}/ok/model.json?tfjs-format=file`, dest, { onProgress: (p) => events.push(p) });
    expect(requests).toEqual(['/ok/model.json?tfjs-format=file', '/ok/group1-shard1of2.bin?tfjs-format=file', '/ok/group1-shard2of2.bin?tfjs-format=file']);
    expect(result.files).toEqual(['model.json', 'group1-shard1of2.bin', 'group1-shard2of2.bin']);
    for (const f of result.files) expect(fs.readFileSync(path.join(dest, f))).toEqual(fs.readFileSync(path.join(modelDir, f)));
    const last = events[events.length - 1]!;
    expect(last).toMatchObject({ file: 'group1-shard2of2.bin', fileIndex: 3, fileCount: 3 });
    expect(last.bytes).toBe(last.totalBytes);
    expect(events.map((e) => e.bytes)).toEqual([...events.map((e) => e.bytes)].sort((a, b) => a - b));
    expect(fs.readdirSync(parent)).toEqual(['model']);
  });

  it('installs a catalog-style entry as a backbone that reproduces the served model', async () => {
    const entry: CatalogEntry = {
      ...onlineCatalog[0]!,
      id: 'local-cnn',
      name: 'Local CNN',
      modelUrl: `${base}/ok/model.json?tfjs-format=file`,
      format: 'layers',
      inputSize: 32,
      featureLayer: 'last_conv',
      featureDim: 16,
    };
    const parent = tempDir();
    const dest = path.join(parent, 'local-cnn');
    const installed = await installOnlineModel(entry, dest);
    expect(installed.descriptor).toMatchObject({ id: 'local-cnn', featureLayer: 'last_conv', featureDim: 16, source: { url: entry.modelUrl } });
    expect(fs.readdirSync(parent)).toEqual(['local-cnn']);
    const bb = await loadBackbone(installed);
    const { x } = stripeImages(2, 32, 9);
    const f = bb.extract(x);
    expect(f.shape).toEqual([2, 16]);
    // The served folder, loaded directly: last_conv's map averaged over space.
    const served = await loadLayersModelFromFolder(modelDir);
    const expected = tf.tidy(() => (tf.model({ inputs: served.inputs, outputs: served.getLayer('last_conv').output }).predict(x) as tf.Tensor4D).mean([1, 2]));
    const e = await expected.data();
    (await f.data()).forEach((v, i) => expect(v).toBeCloseTo(e[i]!, 5));
    tf.dispose([x, f, expected]);
    served.dispose();
    bb.dispose();
  });

  it('a 404 shard fails naming the file and leaves nothing', async () => {
    const parent = tempDir();
    const p = downloadModelFolder(`${base}/missing/model.json?tfjs-format=file`, path.join(parent, 'm'));
    await expect(p).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/group1-shard2of2\.bin: .* answered 404 Not Found/) });
    nothingLeft(parent);
  });

  it('a connection cut mid-file fails as interrupted and leaves nothing', async () => {
    const parent = tempDir();
    const p = downloadModelFolder(`${base}/cut/model.json?tfjs-format=file`, path.join(parent, 'm'));
    await expect(p).rejects.toThrow(/group1-shard2of2\.bin: the download from .* was interrupted after \d+/);
    nothingLeft(parent);
  });

  it('a stalled server times out and leaves nothing', async () => {
    const parent = tempDir();
    const p = downloadModelFolder(`${base}/stall/model.json?tfjs-format=file`, path.join(parent, 'm'), { timeoutMs: 300 });
    await expect(p).rejects.toThrow(/group1-shard2of2\.bin: no data from 127\.0\.0\.1:\d+ for 0\.3 s; the download was stopped/);
    nothingLeft(parent);
  });

  it('no server at all is reported as no network, in plain words', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const parent = tempDir();
    await expect(downloadModelFolder(`http://127.0.0.1:${port}/model.json`, path.join(parent, 'm'))).rejects.toMatchObject({
      code: 'io_error',
      message: expect.stringMatching(/^no network: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. .*bundled backbones work offline/),
    });
    nothingLeft(parent);
  });

  it('refuses what is not a model, what is too large, and stops on cancel', async () => {
    const parent = tempDir();
    await expect(downloadModelFolder(`${base}/html/model.json`, path.join(parent, 'a'))).rejects.toThrow(/html\/model\.json is not valid JSON/);
    await expect(downloadModelFolder(`${base}/ok/model.json?tfjs-format=file`, path.join(parent, 'b'), { maxBytes: 4000 })).rejects.toThrow(
      /size limit|more than the/,
    );
    const controller = new AbortController();
    const p = downloadModelFolder(`${base}/stall/model.json?tfjs-format=file`, path.join(parent, 'c'), {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.file === 'group1-shard2of2.bin') controller.abort();
      },
    });
    await expect(p).rejects.toThrow(/download cancelled while fetching group1-shard2of2\.bin/);
    await expect(downloadModelFolder('ftp://example.com/model.json', path.join(parent, 'd'))).rejects.toMatchObject({ field: 'url' });
    nothingLeft(parent);
  });
});
