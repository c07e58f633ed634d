// holdout predict --project <dir> --run <id> <image or folder>...
// Predicts a run's classes (an ensemble: the mean of its members' probabilities) for
// image files and folders, prints one "prediction" line per image (its class, confidence
// and probabilities, or the error that kept it from being predicted), then a "predict"
// summary line. Exit 0 when at least one image was predicted (the summary counts the
// failures); 1 when none could be, or the run cannot predict.
import path from 'node:path';
import type { Prediction, PredictOutcome } from '../../engine/predict/predict-files.js';
import { openForReading } from '../open-project.js';
import { emitLine, UsageError } from '../output.js';

export interface PredictArgs {
  project: string;
  run: string | undefined;
  paths: string[];
}

function parseRunId(value: string | undefined): number {
  if (value === undefined) throw new UsageError('predict needs --run <id> (see `holdout runs`)');
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`--run needs a run id (a whole number), not "${value}"`);
  return id;
}

function predictionLine(r: Prediction): Record<string, unknown> {
  return r.ok
    ? { path: r.path, predicted: r.predicted, confidence: r.confidence, probabilities: r.probabilities }
    : { path: r.path, error: r.error };
}

function modelField(m: PredictOutcome['model']): Record<string, unknown> {
  return {
    run_name: m.runName,
    kind: m.kind,
    members: m.members,
    member_run_ids: m.memberRunIds,
    checkpoint_epochs: m.checkpointEpochs,
    model_kind: m.modelKind,
    classes: m.classes,
    backend: m.backend,
  };
}

export async function predictCommand(args: PredictArgs): Promise<number> {
  const runId = parseRunId(args.run);
  if (args.paths.length === 0) throw new UsageError('predict needs at least one image file or folder after the options');
  // Loaded here: TensorFlow.js takes a second or two to load, which other commands should not pay.
  const { predictFiles } = await import('../../engine/predict/predict-files.js');
  const project = openForReading(args.project);
  try {
    const outcome = await predictFiles(
      project.db,
      project.dir,
      runId,
      args.paths.map((p) => path.resolve(p)),
      // A terminal has no table to fill: no cap on the number of files.
      { maxFiles: Number.POSITIVE_INFINITY },
    );
    for (const r of outcome.results) emitLine('prediction', predictionLine(r));
    const { images, failed } = outcome.summary;
    emitLine('predict', { run_id: runId, model: modelField(outcome.model), images, failed });
    if (failed > 0) process.stderr.write(`holdout: ${failed} of ${images} image${images === 1 ? '' : 's'} could not be predicted (see their "error")\n`);
    return images > failed ? 0 : 1;
  } finally {
    project.close();
  }
}
