// npm run bench -- train [--kinds auto,small-cnn,frozen-head,small-vit] [--budget S] [--frozen-train N] [--set JSON] [--keep]
// The default pipeline from import to trained model, on real images: 14,000 distinct,
// balanced Fashion-MNIST images (Debian's dataset-fashion-mnist) written once as 28×28
// greyscale PNGs under .cache/bench/train/fashion-png/<class>/, then, in a fresh project:
//   import — the engine's startImport of that folder (hashes, metadata, thumbnails);
//   split  — the split engine (saveSplit) with ratios 500/7, 100/7, 100/7 percent:
//            fractions are allowed, so each class's targets are exactly 1000/200/200,
//            and as the images are distinct (no exact-copy groups) the balanced
//            placement lands exactly on 10,000 / 2,000 / 2,000;
//   train  — createRun + startTraining (the worker thread `holdout train` uses) with the
//            default configuration ('auto' model kind, default epochs, early stopping).
// Without --kinds: one default run, and the JSON line carries the targets for 2 cores
// (total under 600 s, validation accuracy at least 88 %).
// With --kinds: the same split through each named kind, each stopped after --budget
// seconds (default 300) of its run; frozen-head trains on the first --frozen-train
// training images (default 1000, 100 per class; the rest excluded for that run and
// included again after), because one wasm thread extracts ~20 backbone images/s and
// each training image needs 1 + augmentViews (default 4) extractions.
// --set '{"augmentation":"none"}' merges settings into every run's configuration.
// Progress goes to stderr; the last stdout line is {"bench":"train", …}.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startImport } from '../electron/engine/ingest/start-import.js';
import { excludeImages, includeImages } from '../electron/engine/labeling/label-images.js';
import { createProject, type Project } from '../electron/engine/project/project.js';
import { saveSplit } from '../electron/engine/service/split-actions.js';
import { MODEL_KINDS } from '../electron/engine/train/config.js';
import { requireFashionMnist } from './helpers/fashion-mnist.js';
import { fashionPngFolder } from './helpers/fashion-png.js';
import { timedTraining, type TrainingFigures } from './helpers/timed-training.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PNG_DIR = path.join(root, '.cache', 'bench', 'train', 'fashion-png');
const PER_CLASS = 1400;
/** Percent shares whose per-class targets are exactly 1000 / 200 / 200 of 1400. */
const RATIOS = { train: 500 / 7, validation: 100 / 7, test: 100 / 7 };
const SPLIT_SEED = 1;
const TRAIN_SEED = 1;

const { values } = parseArgs({
  options: {
    kinds: { type: 'string' },
    budget: { type: 'string', default: '300' },
    'frozen-train': { type: 'string', default: '1000' },
    set: { type: 'string', default: '{}' },
    keep: { type: 'boolean', default: false },
  },
});
const log = (msg: string) => process.stderr.write(`[bench train] ${msg}\n`);
const r = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits);
const now = () => performance.now() / 1000;

async function importAndSplit(project: Project, folder: string) {
  let t = now();
  let lastLog = 0;
  const running = startImport(project, {
    source: { kind: 'folder', folder },
    onProgress: (p) => {
      if (now() - lastLog < 5) return;
      lastLog = now();
      log(`  import ${p.phase} ${p.done}/${p.total}, ${p.rate} files/s`);
    },
  });
  const imported = await running.done;
  const importSeconds = now() - t;
  if (imported.status !== 'done' || imported.errors.length > 0) throw new Error(`import ${imported.status}: ${imported.errors.length} errors, ${imported.message ?? ''}`);
  log(`imported ${imported.imported} images in ${importSeconds.toFixed(1)} s`);
  t = now();
  const split = saveSplit(project.db, { ratios: RATIOS, seed: SPLIT_SEED, grouping: [] });
  const splitSeconds = now() - t;
  const counts = split.version!.counts;
  log(`split ${counts.train} / ${counts.validation} / ${counts.test} in ${splitSeconds.toFixed(2)} s`);
  return { importSeconds, splitSeconds, counts, versionId: split.version!.id };
}

/** Excludes all but the first `keep` training images of each class; returns the ids to include again. */
function keepTrainSubset(project: Project, versionId: number, perClass: number): number[] {
  const rows = project.db
    .prepare(
      `SELECT i.id, i.class_id AS classId FROM split_assignments a JOIN images i ON i.id = a.image_id
        WHERE a.version_id = ? AND a.split = 'train' ORDER BY i.id`,
    )
    .all(versionId) as { id: number; classId: number }[];
  const seen = new Map<number, number>();
  const drop = rows.filter((row) => {
    const n = (seen.get(row.classId) ?? 0) + 1;
    seen.set(row.classId, n);
    return n > perClass;
  });
  const ids = drop.map((row) => row.id);
  excludeImages(project.db, ids, 'bench: frozen-head trains on a subset');
  return ids;
}

function kindFigures(kind: string, f: TrainingFigures, trainImages: number, budget: number) {
  const s = f.summary;
  const stoppedBy = f.stoppedByBudget ? `time budget (${budget} s)` : (s.stopReason ?? s.status);
  return {
    kind,
    model_kind: s.modelKind,
    train_images: trainImages,
    val_accuracy: r(s.bestValAccuracy, 4),
    epochs_run: s.epochsRun,
    best_epoch: s.bestEpoch,
    decode_seconds: r(f.decodeSeconds),
    features_seconds: r(f.phaseSeconds.features),
    feature_images_per_second: r(f.featureImagesPerSecond),
    train_images_per_second: r(f.trainImagesPerSecond),
    train_seconds: r(f.trainSeconds),
    total_seconds: r(f.totalSeconds),
    stopped_by: stoppedBy,
    val_accuracy_by_epoch: f.epochs.map((e) => r(e.valAccuracy, 4)),
  };
}

async function main() {
  requireFashionMnist('train');
  const extra = JSON.parse(values.set!) as Record<string, unknown>;
  const kinds = values.kinds?.split(',').map((k) => k.trim()).filter(Boolean) ?? null;
  for (const k of kinds ?? []) if (!(MODEL_KINDS as readonly string[]).includes(k)) throw new Error(`--kinds: unknown model kind "${k}" (one of ${MODEL_KINDS.join(', ')})`);
  const budget = Number(values.budget);
  const frozenTrain = Number(values['frozen-train']);

  const pngs = await fashionPngFolder(PNG_DIR, PER_CLASS, log);
  log(`${pngs.reused ? 'reusing' : 'wrote'} ${PER_CLASS * 10} PNGs in ${pngs.dir}`);
  const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-bench-train-'));
  const project = createProject(projectDir);
  try {
    const started = now();
    const { importSeconds, splitSeconds, counts, versionId } = await importAndSplit(project, pngs.dir);
    const images = { train: counts.train, validation: counts.validation, test: counts.test };
    const base = { bench: 'train', dataset: 'fashion-mnist 28×28 grey PNG', images, split: 'saveSplit, ratios 500/7 : 100/7 : 100/7 %, seed 1, distinct images', import_seconds: r(importSeconds), split_seconds: r(splitSeconds, 2) };

    if (!kinds) {
      const f = await timedTraining({ db: project.db, projectDir, config: { seed: TRAIN_SEED, ...extra }, trainImages: counts.train, log });
      const s = f.summary;
      const total = now() - started;
      console.log(
        JSON.stringify({
          ...base,
          settings: extra,
          model_kind: s.modelKind,
          backend: s.backend,
          decode_seconds: r(f.decodeSeconds),
          feature_images_per_second: r(f.featureImagesPerSecond),
          train_images_per_second: r(f.trainImagesPerSecond),
          epochs_run: s.epochsRun,
          best_epoch: s.bestEpoch,
          stop_reason: s.stopReason,
          val_accuracy: r(s.bestValAccuracy, 4),
          train_seconds: r(f.trainSeconds),
          total_seconds: r(total),
          val_accuracy_by_epoch: f.epochs.map((e) => r(e.valAccuracy, 4)),
          targets: { total_under_600s: total < 600, val_accuracy_at_least_0_88: (s.bestValAccuracy ?? 0) >= 0.88 },
        }),
      );
      return;
    }

    const results = [];
    let backend: string | null = null;
    for (const kind of kinds) {
      log(`--- ${kind}`);
      const subset = kind === 'frozen-head' ? keepTrainSubset(project, versionId, Math.round(frozenTrain / 10)) : [];
      try {
        const trainImages = counts.train - subset.length;
        const f = await timedTraining({ db: project.db, projectDir, config: { seed: TRAIN_SEED, ...extra, modelKind: kind }, trainImages, budgetSeconds: budget, log });
        backend = f.summary.backend;
        results.push(kindFigures(kind, f, trainImages, budget));
        log(JSON.stringify(results.at(-1)));
      } finally {
        if (subset.length) includeImages(project.db, subset);
      }
    }
    console.log(JSON.stringify({ ...base, mode: 'kinds', backend, budget_seconds: budget, settings: extra, kinds: results }));
  } finally {
    project.close();
    if (values.keep) log(`project kept in ${projectDir}`);
    else fs.rmSync(projectDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
