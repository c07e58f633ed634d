// A new run record, made before any worker starts so that a bad configuration or an
// unusable split is refused at once, naming the field, and the run id is known to the
// caller (the UI opens its dashboard, the CLI prints it) from the first moment.
import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ApiError } from '../../../api/errors.js';
import { RunsRepo, type Run } from '../../store/runs-repo.js';
import { parseTrainConfig, type TrainConfig } from '../config.js';
import { currentSplitVersion, loadTrainingSet } from '../data/training-set.js';

export function createRun(db: Database.Database, input: unknown): Run {
  const config: TrainConfig = parseTrainConfig(input);
  const splitVersionId = config.splitVersion ?? currentSplitVersion(db);
  const set = loadTrainingSet(db, splitVersionId);
  if (set.validation.length === 0) {
    throw new ApiError(
      'conflict',
      `split version ${splitVersionId} has no validation images: early stopping and model selection need some; make a split with a validation share`,
      'splitVersion',
    );
  }
  // The seed is drawn once and recorded, so the run can be repeated and resumed exactly.
  const seed = config.seed ?? randomInt(0, 2 ** 31);
  const runs = new RunsRepo(db);
  const name = config.name ?? `Run ${(db.prepare('SELECT count(*) FROM runs').pluck().get() as number) + 1}`;
  return runs.create({
    name,
    splitVersionId,
    config: { ...config, seed, splitVersion: splitVersionId },
    modelKind: config.modelKind === 'auto' ? null : config.modelKind,
  });
}
