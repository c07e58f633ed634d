// A new run record, made before any worker starts so that a bad configuration or an
// unusable split is refused at once, naming the field, and the run id is known to the
// caller (the UI opens its dashboard, the CLI prints it) from the first moment.
// With ensembleSize M > 1 it is an ensemble: one run of kind 'ensemble' and M queued
// 'member' runs under it, made in one transaction, each with its own seed.
import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ApiError } from '../../../api/errors.js';
import { RunsRepo, type Run } from '../../store/runs-repo.js';
import { parseTrainConfig, type TrainConfig } from '../config.js';
import { currentSplitVersion, loadTrainingSet } from '../data/training-set.js';
import { deriveSeed } from './seeds.js';

/**
 * Member i's seed (i from 0), derived from the ensemble's recorded seed: distinct per
 * member (different initial weights, shuffles and augmentation draws) and reproducible.
 * The 0x656e73 salt ("ens") keeps member 0 from repeating a single run with the ensemble's seed.
 */
export function memberSeed(ensembleSeed: number, index: number): number {
  return deriveSeed(ensembleSeed, 0x656e73, index) >>> 1;
}

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
  const name = config.name ?? `Run ${(db.prepare('SELECT count(*) FROM runs WHERE kind != ?').pluck().get('member') as number) + 1}`;
  const modelKind = config.modelKind === 'auto' ? null : config.modelKind;
  const recorded = { ...config, seed, splitVersion: splitVersionId };
  if (config.ensembleSize === 1) return runs.create({ name, splitVersionId, config: recorded, modelKind });

  return db.transaction(() => {
    const ensemble = runs.create({ name, kind: 'ensemble', splitVersionId, config: recorded, modelKind });
    for (let i = 0; i < config.ensembleSize; i++) {
      // Same split version and settings; only the seed (and the name) differ. A member is
      // an ordinary run of size 1, so runTraining trains it as it trains any run.
      runs.create({
        name: `${name} · member ${i + 1}`,
        kind: 'member',
        parentRunId: ensemble.id,
        splitVersionId,
        config: { ...recorded, name: `${name} · member ${i + 1}`, ensembleSize: 1, seed: memberSeed(seed, i) },
        modelKind,
      });
    }
    return ensemble;
  })();
}
