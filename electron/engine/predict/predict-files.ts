// Predicts a run's classes for image files from anywhere. Each image becomes model input
// exactly as evaluation prepares a project image (evaluation-feeder.ts: the run's decode,
// the backbone's preprocessing or, for a frozen-backbone head, its features through the
// feature cache) and is scored by the evaluation's own scoreModel, so a project image
// predicted here gets the probabilities its evaluation gave it. An ensemble answers with
// the mean of its members' probabilities. Every image is checked on its own first (the
// importer's rules, then a decode at each model's input spec): one bad file becomes an
// error line for that file and the others go on.
// Frozen-backbone features of outside files go through the project's feature cache,
// keyed by the sha256 of their bytes (computed here): correct for any file, and a second
// prediction on the same folder costs nothing.
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import { MAX_PREDICT_FILES, type ImagePrediction, type PredictModel, type PredictResult } from '../../api/predict-schemas.js';
import { averageProbabilities } from '../evaluate/ensemble-average.js';
import { evaluationFeeder } from '../evaluate/evaluation-feeder.js';
import { argMaxRow, scoreModel } from '../evaluate/score-model.js';
import { judgeDecodeError } from '../ingest/decode-errors.js';
import { DEFAULT_MAX_PIXELS } from '../ingest/start-import.js';
import { selectBackend, type BackendPreference } from '../train/backend/select-backend.js';
import { findBackbone } from '../train/backbones/resolve-backbone.js';
import { decodeBytes, type DecodeOptions } from '../train/data/decode-image.js';
import { mapLimit } from '../train/data/map-limit.js';
import type { TrainingItem } from '../train/data/training-set.js';
import { loadRunModel, type RunModel } from '../train/run/load-run-model.js';
import { checkImage, type CheckedImage } from './check-image.js';
import { listInputs } from './list-inputs.js';
import { resolvePredictingModel } from './run-models.js';
import { thumbnailDataUrl } from './thumbnail-data-url.js';

export type PredictPhase = 'reading' | 'features' | 'predicting';
export type Prediction = z.infer<typeof ImagePrediction>;
export type PredictOutcome = z.infer<typeof PredictResult>;

export interface PredictOptions {
  /** Refuse more files than this (folders expanded); default MAX_PREDICT_FILES. */
  maxFiles?: number;
  /** Largest image in pixels (the importer's decompression-bomb guard by default). */
  maxPixels?: number;
  /** Add a 96 px data: URL thumbnail to each readable image. */
  thumbnails?: boolean;
  /** The run's own backend by default (its evaluation's arithmetic); 'current' keeps the process's. */
  backend?: BackendPreference | 'current';
  onProgress?(phase: PredictPhase, done: number, total: number): void;
}

/** Files read and decoded at once: sharp decodes on libuv's pool, a few in flight use the cores. */
const IN_FLIGHT = 4;

function decodeKey(d: DecodeOptions): string {
  return `${d.size}:${d.channels}:${d.resize}`;
}

/** sharp's words without the decoder's "cannot read image <file>:" prefix, judged as the importer judges them. */
function decodeReason(err: unknown, display: string, maxPixels: number, bytes: Buffer): string {
  const text = err instanceof Error ? err.message : String(err);
  const prefix = `cannot read image ${display}: `;
  return judgeDecodeError(new Error(text.startsWith(prefix) ? text.slice(prefix.length) : text), maxPixels, bytes);
}

export async function predictFiles(
  db: Database.Database,
  projectDir: string,
  runId: number,
  paths: readonly string[],
  opts: PredictOptions = {},
): Promise<PredictOutcome> {
  const resolved = resolvePredictingModel(db, runId);
  const maxFiles = opts.maxFiles ?? MAX_PREDICT_FILES;
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const listing = await listInputs(paths);
  const count = listing.files.length + listing.errors.length;
  if (count > maxFiles) {
    throw new ApiError(
      'invalid_request',
      `${count} files found; at most ${maxFiles} can be predicted in one go: choose fewer files or a smaller folder (the command line has no limit)`,
      'paths',
    );
  }
  if (listing.files.length === 0 && listing.errors.length === 0) {
    throw new ApiError('invalid_request', 'no image files found in what was given', 'paths');
  }

  const backend = opts.backend === 'current' ? null : (await selectBackend(opts.backend ?? resolved.backend)).label;
  const models: RunModel[] = [];
  try {
    for (const id of resolved.memberRunIds) models.push(await loadRunModel(db, projectDir, id, 'best'));
    const classes = models[0]!.state.classes;
    for (const m of models) {
      if (m.state.classes.join('\n') !== classes.join('\n')) {
        throw new ApiError('conflict', `the members of ensemble run ${runId} do not share one class list (run ${m.state.runId}: ${m.state.classes.join(', ')})`, 'runId');
      }
      // A backbone that is gone (a project folder copied without it) is named now.
      if (m.state.input.backboneId) findBackbone(projectDir, m.state.input.backboneId);
    }

    // Each file checked on its own: the importer's rules, then a decode at every input spec the models use.
    const specs = new Map(models.map((m) => [decodeKey(m.state.input), { size: m.state.input.size, channels: m.state.input.channels, resize: m.state.input.resize }]));
    let read = 0;
    const checked: CheckedImage[] = await mapLimit(listing.files, IN_FLIGHT, async (file) => {
      let c = await checkImage(file, maxPixels);
      if (c.ok) {
        for (const spec of specs.values()) {
          try {
            await decodeBytes(c.bytes, file.path, spec);
          } catch (err) {
            c = { ok: false, file, reason: decodeReason(err, file.path, maxPixels, c.bytes) };
            break;
          }
        }
      }
      opts.onProgress?.('reading', ++read, listing.files.length);
      return c;
    });
    const good = checked.filter((c): c is Extract<CheckedImage, { ok: true }> => c.ok);
    const thumbs = opts.thumbnails ? await mapLimit(good, IN_FLIGHT, (c) => thumbnailDataUrl(c.bytes, maxPixels)) : null;

    const items: TrainingItem[] = good.map((c, i) => ({
      imageId: i,
      path: c.file.path,
      pathBytes: c.file.pathBytes,
      sha256: c.sha256,
      width: c.width,
      height: c.height,
      label: 0,
    }));
    const k = classes.length;
    const perModel: Float32Array[] = [];
    for (const [index, m] of models.entries()) {
      if (items.length === 0) break;
      const { feeder, dispose } = await evaluationFeeder({
        projectDir,
        state: m.state,
        items,
        onFeatures: opts.onProgress ? (done, total) => opts.onProgress!('features', index * total + done, models.length * total) : undefined,
      });
      try {
        const scores = await scoreModel(m.model, feeder, k, (done, total) => opts.onProgress?.('predicting', index * total + done, models.length * total));
        perModel.push(scores.probabilities);
      } finally {
        dispose();
      }
    }
    const probabilities = perModel.length === 0 ? new Float32Array(0) : perModel.length === 1 ? perModel[0]! : averageProbabilities(perModel, k);

    const byPath = new Map<string, Prediction>();
    good.forEach((c, i) => {
      const row = Array.from(probabilities.subarray(i * k, (i + 1) * k));
      const best = argMaxRow(probabilities, k, i);
      byPath.set(c.file.pathBytes.toString('latin1'), {
        path: c.file.path,
        ok: true,
        predicted: classes[best]!,
        confidence: row[best]!,
        probabilities: Object.fromEntries(classes.map((name, j) => [name, row[j]!])),
        ...(thumbs ? { thumbnail: thumbs[i]! } : {}),
      });
    });
    const failed = (path: string, reason: string): Prediction => ({ path, ok: false, predicted: null, confidence: null, probabilities: null, error: reason });
    const results: Prediction[] = [
      ...checked.map((c) => (c.ok ? byPath.get(c.file.pathBytes.toString('latin1'))! : failed(c.file.path, c.reason))),
      ...listing.errors.map((e) => failed(e.path, e.reason)),
    ];
    const model: z.infer<typeof PredictModel> = {
      runId: resolved.runId,
      runName: resolved.runName,
      kind: resolved.kind,
      members: models.length,
      memberRunIds: resolved.memberRunIds,
      checkpointEpochs: models.map((m) => m.checkpoint.epoch),
      modelKind: models[0]!.state.modelKind,
      classes: [...classes],
      backend,
    };
    return { model, results, summary: { images: results.length, failed: results.filter((r) => !r.ok).length } };
  } finally {
    for (const m of models) m.model.dispose();
  }
}
