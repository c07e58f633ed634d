// What a run with modelKind 'auto' would choose for a split, and why, before any run
// exists: the Train screen shows it ("small greyscale images: a small CNN trained from
// scratch") so the user knows what pressing Start will do. The same facts and the same
// rule as prepare-model.ts; the backbone is read from its descriptor only (its input
// size and name), never loaded, so asking costs a few file headers, not a model — and
// not TensorFlow.js either (resolve-backbone.ts would load it: ~2 s on a busy machine).
import type Database from 'better-sqlite3';
import { bundledBackbone } from '../backbones/bundled.js';
import { parseTrainConfig, type ResolvedModelKind, type TrainConfig } from '../config.js';
import { dataFacts } from '../data/data-facts.js';
import { currentSplitVersion, loadTrainingSet } from '../data/training-set.js';
import { chooseDefaults } from './choose-defaults.js';

export interface SuggestedDefaults {
  modelKind: ResolvedModelKind;
  inputSize: number;
  channels: 1 | 3;
  reason: string;
  /** The backbone a transfer-learning choice uses; null for a model trained from scratch. */
  backboneId: string | null;
  backboneName: string | null;
  classes: { name: string; train: number; validation: number }[];
  splitVersion: number;
  skipped: { unlabeled: number; excluded: number };
  /** An empty configuration as the engine parses it: every setting's default. */
  configDefaults: TrainConfig;
}

export async function suggestDefaults(db: Database.Database, splitVersion?: number): Promise<SuggestedDefaults> {
  const versionId = splitVersion ?? currentSplitVersion(db);
  const set = loadTrainingSet(db, versionId);
  const configDefaults = parseTrainConfig({});
  // The default configuration names no backbone, so 'auto' uses the bundled default (a
  // project's own backbones get unique ids, so none can shadow it: see findBackbone).
  const backbone = bundledBackbone(configDefaults.backbone).descriptor;
  const choice = chooseDefaults(await dataFacts(set), { name: backbone.name, inputSize: backbone.inputSize });
  const transfer = choice.modelKind === 'frozen-head' || choice.modelKind === 'fine-tune';

  const counts = set.classes.map((c) => ({ name: c.name, train: 0, validation: 0 }));
  for (const item of set.train) counts[item.label]!.train++;
  for (const item of set.validation) counts[item.label]!.validation++;

  return {
    modelKind: choice.modelKind,
    inputSize: choice.inputSize,
    channels: choice.channels,
    reason: choice.reason,
    backboneId: transfer ? backbone.id : null,
    backboneName: transfer ? backbone.name : null,
    classes: counts,
    splitVersion: versionId,
    skipped: set.skipped,
    configDefaults,
  };
}
