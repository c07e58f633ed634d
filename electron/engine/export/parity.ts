// The parity check: the exported files, run by the export's own example in a FRESH Node
// process (nothing of the app loaded), must give the app's probabilities for the same
// images: the largest absolute difference over every image and class below 1e-4. The
// in-app side is evaluation's own path (evaluation-feeder + score-model; the members'
// mean for an ensemble). The sample images are copied byte for byte into a temporary
// folder first, so a path the command line cannot carry (non-UTF-8 bytes) still works.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import * as tf from '@tensorflow/tfjs';
import { averageProbabilities } from '../evaluate/ensemble-average.js';
import { evaluationFeeder } from '../evaluate/evaluation-feeder.js';
import { loadEvaluationSet } from '../evaluate/evaluation-set.js';
import { scoreModel } from '../evaluate/score-model.js';
import { SplitsRepo } from '../store/splits-repo.js';
import type { TrainingItem } from '../train/data/training-set.js';
import { packageInfo } from '../util/package-info.js';
import type { ExportModels } from './export-members.js';
import { removeDeadLeftovers } from '../util/dead-leftovers.js';

export const PARITY_TOLERANCE = 1e-4;
export const PARITY_SAMPLE = 32;

export interface ParityResult {
  images: number;
  /** null when nothing could be compared. */
  maxAbsDiff: number | null;
  passed: boolean;
  tolerance: number;
  /** The backend the example computed on in its own process. */
  exampleBackend: string;
  /** The app's backend for the in-app side. */
  appBackend: string;
  /** Why it failed (the example's error, or where the largest difference is); null when it passed. */
  error: string | null;
}

/** Up to `limit` validation images, evenly spread over the split (image-id order). */
export function paritySample(db: Database.Database, models: ExportModels, limit = PARITY_SAMPLE): TrainingItem[] {
  const ids = new SplitsRepo(db).imageIds(models.run.splitVersionId, 'validation');
  const items = loadEvaluationSet(db, ids, models.classes, models.run.createdAt).items;
  if (items.length <= limit) return items;
  return Array.from({ length: limit }, (_, k) => items[Math.floor((k * items.length) / limit)]!);
}

/** The app's probabilities for the items: n × classes, members averaged. */
export async function inAppProbabilities(projectDir: string, models: ExportModels, items: readonly TrainingItem[]): Promise<Float32Array> {
  const k = models.classes.length;
  const list: Float32Array[] = [];
  for (const m of models.members) {
    const { feeder, dispose } = await evaluationFeeder({ projectDir, state: m.state, items });
    try {
      list.push((await scoreModel(m.model, feeder, k)).probabilities);
    } finally {
      dispose();
    }
  }
  return averageProbabilities(list, k);
}

/** Folders Node should find @tensorflow/tfjs and sharp in: the app's own node_modules. */
function appModulePaths(): string[] {
  const own = path.join(packageInfo().root, 'node_modules');
  return [own, own.replace('app.asar', 'app.asar.unpacked')].filter((p, i, all) => all.indexOf(p) === i);
}

interface ExampleOutput {
  backend: string;
  images: { file: string; vector: number[] }[];
}

/** Runs example/predict-node.mjs --json on the files in a new process. */
export function runNodeExample(exportDir: string, files: readonly string[], backend: 'wasm' | 'cpu', timeoutMs = 600_000): Promise<ExampleOutput> {
  const script = path.join(exportDir, 'example', 'predict-node.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, '--json', '--backend', backend, ...files], {
      cwd: path.dirname(script),
      // ELECTRON_RUN_AS_NODE: inside the packaged app process.execPath is Electron, run as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NODE_PATH: appModulePaths().join(path.delimiter), NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${script}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${path.basename(script)} failed (${signal ? `killed by ${signal}` : `exit code ${code}`}): ${err.trim().split('\n').slice(-3).join(' ') || 'no message'}`));
        return;
      }
      try {
        // TF.js may print a banner to stdout after the result: take the JSON line itself.
        const line = out.split('\n').filter((l) => l.startsWith('{')).pop() ?? '';
        resolve(JSON.parse(line) as ExampleOutput);
      } catch {
        reject(new Error(`${path.basename(script)} printed no JSON result: ${out.slice(0, 300)}`));
      }
    });
  });
}

/** Largest |a − b| over two n × k tables; also where it is. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): { value: number; at: number } {
  if (a.length !== b.length) return { value: Infinity, at: -1 };
  let value = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= value)) {
      value = d;
      at = i;
    }
  }
  return { value, at };
}

function extensionOf(item: TrainingItem): string {
  const ext = path.extname(item.path).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '';
}

export async function checkParity(
  db: Database.Database,
  projectDir: string,
  exportDir: string,
  models: ExportModels,
  onPhase?: (phase: 'in-app' | 'example') => void,
): Promise<ParityResult> {
  const items = paritySample(db, models);
  const appBackend = tf.getBackend();
  const exampleBackend: 'wasm' | 'cpu' = appBackend === 'cpu' ? 'cpu' : 'wasm';
  const base = { images: items.length, tolerance: PARITY_TOLERANCE, exampleBackend, appBackend };
  if (items.length === 0) {
    return { ...base, maxAbsDiff: null, passed: false, error: 'the run\'s split has no labeled validation images to compare on' };
  }
  onPhase?.('in-app');
  const expected = await inAppProbabilities(projectDir, models, items);
  // Named with our pid, so a check killed midway is cleared by the next one.
  removeDeadLeftovers(os.tmpdir(), /^holdout-parity-(\d+)-/);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `holdout-parity-${process.pid}-`));
  try {
    const files = items.map((item, i) => {
      const file = path.join(tmp, `${String(i).padStart(3, '0')}${extensionOf(item)}`);
      fs.copyFileSync(item.pathBytes, file);
      return file;
    });
    onPhase?.('example');
    let output: ExampleOutput;
    try {
      output = await runNodeExample(exportDir, files, exampleBackend);
    } catch (err) {
      return { ...base, maxAbsDiff: null, passed: false, error: (err as Error).message };
    }
    const got = output.images.flatMap((r) => r.vector);
    const { value, at } = maxAbsDiff(expected, got);
    const finite = Number.isFinite(value) ? value : null;
    const k = models.classes.length;
    const passed = value < PARITY_TOLERANCE;
    const where = at < 0 ? 'the example gave a different number of values' : `image ${items[Math.floor(at / k)]!.path}, class "${models.classes[at % k]}": app ${expected[at]}, export ${got[at]}`;
    return { ...base, exampleBackend: output.backend, maxAbsDiff: finite, passed, error: passed ? null : `largest difference ${value} (tolerance ${PARITY_TOLERANCE}) at ${where}` };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
