// Import benchmark:
//   node --import tsx bench/ingest.ts [--sets small,large] [--small N] [--large N] [--workers N] [--synthetic]
// For each set it measures, in the same run and on the same files:
//   floor  — what sharp alone does: decode + 256 px WebP thumbnail of every file, in a
//            tight loop on the same number of worker threads with the same files in
//            flight per worker, nothing written (worker start-up not counted);
//   import — a real startImport into a fresh project (everything counted: walk,
//            hashes, metadata, pHash, thumbnails written, SQLite rows).
// Progress goes to stderr; the last line on stdout is one JSON object.
// Data is generated once and cached under .cache/bench/ingest/ (gitignored):
//   small — 10,000 PNGs in 10 class folders: Fashion-MNIST's 28×28 images when
//           Debian's dataset-fashion-mnist is installed (and --synthetic is not
//           given), else synthetic 32×32 RGB ones;
//   large — 300 12-megapixel JPEGs (4000×3000, noisy so they compress like photos).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { filesPerWorker } from '../electron/engine/ingest/import-run.js';
import { RESIZE, THUMB_WEBP } from '../electron/engine/ingest/process-file.js';
import { configureSharpForImport } from '../electron/engine/ingest/sharp-settings.js';
import { startImport } from '../electron/engine/ingest/start-import.js';
import { createProject } from '../electron/engine/project/project.js';
import { startWorker } from '../electron/engine/workers/start-worker.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, '.cache', 'bench', 'ingest');
const FASHION = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';
const FASHION_LABELS = '/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz';
const CLASS_NAMES = ['tshirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'boot'];

function log(message: string): void {
  process.stderr.write(`[bench ingest] ${message}\n`);
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** Runs `fn` over 0..n-1 with `width` calls in flight. */
async function inParallel(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await fn(next++);
  }));
}

// ---------------------------------------------------------------- data sets

async function makeSmall(count: number, forceSynthetic: boolean): Promise<{ dir: string; source: string }> {
  const useFashion = !forceSynthetic && fs.existsSync(FASHION) && fs.existsSync(FASHION_LABELS);
  const source = useFashion ? 'fashion-mnist' : 'synthetic';
  const dir = path.join(cacheDir, `small-${source}`);
  const marker = path.join(dir, `.complete-${count}`);
  if (fs.existsSync(marker)) return { dir, source };
  fs.rmSync(dir, { recursive: true, force: true });
  for (const name of CLASS_NAMES) fs.mkdirSync(path.join(dir, name), { recursive: true });
  log(`generating ${count} small PNGs (${source}) in ${dir}`);
  const images = useFashion ? zlib.gunzipSync(fs.readFileSync(FASHION)) : null;
  const labels = useFashion ? zlib.gunzipSync(fs.readFileSync(FASHION_LABELS)) : null;
  await inParallel(count, 8, async (i) => {
    let png: sharp.Sharp;
    let label: number;
    if (images && labels) {
      label = labels[8 + i]!;
      png = sharp(images.subarray(16 + i * 784, 16 + (i + 1) * 784), { raw: { width: 28, height: 28, channels: 1 } });
    } else {
      label = i % 10;
      png = sharp(syntheticSmall(i, label), { raw: { width: 32, height: 32, channels: 3 } });
    }
    await png.png().toFile(path.join(dir, CLASS_NAMES[label]!, `${String(i).padStart(5, '0')}.png`));
  });
  fs.writeFileSync(marker, '');
  return { dir, source };
}

/** A 32×32 RGB picture: a class-specific shape in a random colour on noise. */
function syntheticSmall(i: number, label: number): Buffer {
  let seed = (i * 2654435761) >>> 0;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const px = Buffer.alloc(32 * 32 * 3);
  const colour = [rnd() * 255, rnd() * 255, rnd() * 255];
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const dx = x - 16;
      const dy = y - 16;
      const inside = label % 2 === 0 ? dx * dx + dy * dy < (6 + label) ** 2 : Math.abs(dx) + Math.abs(dy) < 6 + label;
      for (let c = 0; c < 3; c++) px[(y * 32 + x) * 3 + c] = inside ? colour[c]! : rnd() * 80;
    }
  }
  return px;
}

async function makeLarge(dir: string, count: number): Promise<void> {
  const marker = path.join(dir, `.complete-${count}`);
  if (fs.existsSync(marker)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  const classes = ['beach', 'forest', 'city'];
  for (const name of classes) fs.mkdirSync(path.join(dir, name), { recursive: true });
  log(`generating ${count} 12-megapixel JPEGs in ${dir} (slow, once)`);
  const started = Date.now();
  let made = 0;
  await inParallel(count, 2, async (i) => {
    // A smooth random colour field (16×12 blown up) plus grain: compresses like a photo (~3 MB).
    const field = Buffer.alloc(16 * 12 * 3);
    let seed = (i * 2246822519 + 1) >>> 0;
    for (let j = 0; j < field.length; j++) field[j] = (seed = (seed * 1664525 + 1013904223) >>> 0) >>> 24;
    const base = await sharp(field, { raw: { width: 16, height: 12, channels: 3 } })
      .resize(4000, 3000, { kernel: 'cubic' })
      .raw()
      .toBuffer();
    const grain = await sharp({
      create: { width: 4000, height: 3000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 24 } },
    })
      .raw()
      .toBuffer();
    for (let j = 0; j < base.length; j++) base[j] = Math.max(0, Math.min(255, base[j]! + grain[j]! - 128));
    const day = String(1 + (i % 28)).padStart(2, '0');
    await sharp(base, { raw: { width: 4000, height: 3000, channels: 3 } })
      .withExif({ IFD0: { Make: 'Bench', DateTime: `2024:05:${day} 12:00:00` }, IFD2: { DateTimeOriginal: `2024:05:${day} 11:59:${String(i % 60).padStart(2, '0')}` } })
      .jpeg({ quality: 90 })
      .toFile(path.join(dir, classes[i % classes.length]!, `IMG_${String(i).padStart(4, '0')}.jpg`));
    if (++made % 25 === 0) log(`  ${made}/${count} (${Math.round((Date.now() - started) / 1000)} s)`);
  });
  fs.writeFileSync(marker, '');
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------- the floor

interface FloorData {
  role: 'floor';
  files: string[];
  counter: SharedArrayBuffer;
  inFlight: number;
}

/** In a floor worker: wait for "go", then thumbnail files until the shared counter runs out. */
async function floorWorker(data: FloorData): Promise<void> {
  configureSharpForImport();
  const counter = new Int32Array(data.counter);
  parentPort!.postMessage('ready');
  await new Promise((resolve) => parentPort!.once('message', resolve));
  await Promise.all(Array.from({ length: data.inFlight }, async () => {
    for (let i = Atomics.add(counter, 0, 1); i < data.files.length; i = Atomics.add(counter, 0, 1)) {
      await sharp(data.files[i]!).rotate().resize(RESIZE).webp(THUMB_WEBP).toBuffer();
    }
  }));
  parentPort!.postMessage('done');
}

async function measureFloor(files: string[], workers: number): Promise<number> {
  const counter = new SharedArrayBuffer(4);
  const data: FloorData = { role: 'floor', files, counter, inFlight: filesPerWorker(workers) };
  const pool = Array.from({ length: workers }, () => startWorker(import.meta.url, './ingest', { workerData: data }));
  const next = (w: (typeof pool)[number]) =>
    new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    });
  await Promise.all(pool.map(next));
  const started = performance.now();
  const finished = Promise.all(pool.map(next));
  for (const w of pool) w.postMessage('go');
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(pool.map((w) => w.terminate()));
  return seconds;
}

// ---------------------------------------------------------------- the import

async function measureImport(folder: string, workers: number, label: string): Promise<{ seconds: number; imported: number; errors: number }> {
  const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-bench-'));
  const project = createProject(projectDir);
  try {
    let lastLog = 0;
    const running = startImport(project, {
      source: { kind: 'folder', folder },
      workers,
      onProgress: (p) => {
        if (performance.now() - lastLog < 1000) return;
        lastLog = performance.now();
        log(`  ${label}: ${p.phase} ${p.done}/${p.total}, ${p.rate} files/s, ETA ${p.etaSeconds ?? '?'} s`);
      },
    });
    const summary = await running.done;
    if (summary.status !== 'done') throw new Error(`import ended ${summary.status}: ${summary.message ?? ''}`);
    return { seconds: summary.seconds, imported: summary.imported, errors: summary.errors.length };
  } finally {
    project.close();
    fs.rmSync(projectDir, { recursive: true, force: true });
  }
}

async function benchSet(name: string, folder: string, workers: number) {
  const files = listFiles(folder);
  for (const f of files) fs.readFileSync(f); // Both runs start from a warm page cache.
  log(`${name}: ${files.length} files, floor (sharp alone, ${workers} workers × ${filesPerWorker(workers)} in flight)…`);
  const floorSeconds = await measureFloor(files, workers);
  log(`${name}: floor ${(files.length / floorSeconds).toFixed(0)} files/s; importing…`);
  const run = await measureImport(folder, workers, name);
  if (run.imported !== files.length) throw new Error(`${name}: imported ${run.imported} of ${files.length} (${run.errors} errors)`);
  const filesPerSec = files.length / run.seconds;
  const floorFilesPerSec = files.length / floorSeconds;
  const result = {
    files: files.length,
    seconds: Math.round(run.seconds * 100) / 100,
    filesPerSec: Math.round(filesPerSec),
    floorFilesPerSec: Math.round(floorFilesPerSec),
    ratio: Math.round((filesPerSec / floorFilesPerSec) * 100) / 100,
  };
  log(`${name}: ${JSON.stringify(result)}`);
  return result;
}

async function main(): Promise<void> {
  const sets = arg('sets', 'small,large').split(',');
  const workers = Number(arg('workers', String(os.availableParallelism())));
  const out: Record<string, unknown> = { bench: 'ingest' };
  if (sets.includes('small')) {
    const { dir, source } = await makeSmall(Number(arg('small', '10000')), process.argv.includes('--synthetic'));
    out.smallSource = source;
    out.small = await benchSet('small', dir, workers);
  }
  if (sets.includes('large')) {
    const dir = path.join(cacheDir, 'large');
    await makeLarge(dir, Number(arg('large', '300')));
    out.large = await benchSet('large', dir, workers);
  }
  out.cores = os.availableParallelism();
  out.workers = workers;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (isMainThread) {
  await main();
} else if ((workerData as FloorData | undefined)?.role === 'floor') {
  await floorWorker(workerData as FloorData);
}
