// A new run record, made before any worker starts so that a bad configuration or an
// unusable split is refused at once, naming the field, and the run id is known to the
// caller (the UI opens its dashboard, the CLI prints it) from the first moment.
// With ensembleSize M > 1 it is an ensemble: one run of kind 'ensemble' and M queued
// 'member' runs under it, made in one transaction, each with its own seed and, when
// ensembleBackbones is set, its own backbone.
import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ApiError } from '../../../api/errors.js';
import { RunsRepo, type Run } from '../../store/runs-repo.js';
import { findBackbone } from '../backbones/resolve-backbone.js';
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

/**
 * The backbone of each member (null: every member takes `backbone`). Refused, naming
 * `ensembleBackbones`: a list without an ensemble, with a model that uses no backbone, beside
 * `backbone`, or naming a backbone the project cannot use (checked when the project
 * folder is known, so the refusal comes now and not from a worker minutes later).
 */
export function memberBackbones(config: TrainConfig, projectDir: string | null): string[] | null {
  const ids = config.ensembleBackbones;
  if (!ids) return null;
  const field = 'ensembleBackbones';
  if (config.ensembleSize < 2) {
    throw new ApiError('invalid_request', `${field} gives each member of an ensemble its backbone: set ensembleSize to 2 or more (it is ${config.ensembleSize})`, field);
  }
  if (config.modelKind !== 'frozen-head' && config.modelKind !== 'fine-tune') {
    throw new ApiError(
      'invalid_request',
      `${field} needs a model that starts from a backbone: set modelKind to "frozen-head" or "fine-tune" (it is "${config.modelKind}")`,
      field,
    );
  }
  if (config.backbone !== undefined) {
    throw new ApiError('invalid_request', `set either backbone (the same for every member) or ${field} (one per member), not both`, field);
  }
  if (projectDir !== null) {
    ids.forEach((id, i) => {
      let format: string;
      try {
        format = findBackbone(projectDir, id).descriptor.format;
      } catch (err) {
        throw new ApiError('not_found', `${field}[${i}]: ${(err as Error).message}`, `${field}.${i}`);
      }
      if (config.modelKind === 'fine-tune' && format !== 'layers') {
        throw new ApiError('invalid_request', `${field}[${i}]: backbone "${id}" is a graph model: it gives frozen features but cannot be fine-tuned`, `${field}.${i}`);
      }
    });
  }
  return Array.from({ length: config.ensembleSize }, (_, i) => ids[i % ids.length]!);
}

/** `projectDir`, when given, lets the backbones named in the configuration be checked at once. */
export function createRun(db: Database.Database, input: unknown, projectDir: string | null = null): Run {
  const config: TrainConfig = parseTrainConfig(input);
  const backbones = memberBackbones(config, projectDir);
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
      // Same split version and settings; only the seed, the name and perhaps the backbone
      // differ. A member is an ordinary run of size 1, so runTraining trains it as any run.
      const { ensembleBackbones: _list, ...shared } = recorded;
      runs.create({
        name: `${name} · member ${i + 1}`,
        kind: 'member',
        parentRunId: ensemble.id,
        splitVersionId,
        config: { ...shared, name: `${name} · member ${i + 1}`, ensembleSize: 1, seed: memberSeed(seed, i), ...(backbones ? { backbone: backbones[i] } : {}) },
        modelKind,
      });
    }
    return ensemble;
  })();
}
