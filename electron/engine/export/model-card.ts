// model-card.json and model-card.md: what a person receiving the model needs to judge it —
// the data it learned from (classes and counts per split), the split version, the
// settings, the validation numbers, whether and how often the test set was opened and
// what it said (the lockbox ledger), and the parity check's result.
import type Database from 'better-sqlite3';
import { lockboxStatus } from '../evaluate/ledger.js';
import { SplitsRepo } from '../store/splits-repo.js';
import { packageInfo } from '../util/package-info.js';
import { EXPORT_FORMAT } from './export-folder.js';
import type { ExportModels } from './export-members.js';
import type { ParityResult } from './parity.js';
import type { MemberLayout } from './write-member.js';

export interface ModelCard {
  format: typeof EXPORT_FORMAT;
  version: 1;
  exportedAt: string;
  app: { name: 'Holdout'; version: string };
  run: { id: number; name: string; kind: string; modelKind: string | null; createdAt: string; finishedAt: string | null };
  classes: string[];
  data: { splitVersionId: number; seed: number; ratios: unknown; perClass: { class: string; train: number; validation: number; test: number }[] };
  members: {
    runId: number;
    name: string;
    modelKind: string;
    checkpointEpoch: number;
    validation: { accuracy: number | null; loss: number | null; bestEpoch: number | null; epochsRun: number };
    settings: unknown;
    /** As preprocessing.json: the custom layers file to load before this model, or null. */
    customLayers: MemberLayout['customLayers'];
  }[];
  testSet: {
    /** Times this split's test set was opened, by any run. */
    uses: number;
    /** The openings for this run (or one of its members), with their results. */
    byThisModel: { useNumber: number; when: string; accuracy: number | null; loss: number | null; mark: string | null }[];
  };
  parity: ParityResult;
  /** 'ok', or 'failed' when the parity check failed: then this export must not be trusted. */
  status: 'ok' | 'failed';
}

function perClassCounts(db: Database.Database, versionId: number): ModelCard['data']['perClass'] {
  const rows = db
    .prepare(
      `SELECT c.name AS name, s.split AS split, count(*) AS n
         FROM split_assignments s JOIN images i ON i.id = s.image_id JOIN classes c ON c.id = i.class_id
        WHERE s.version_id = ? AND i.status = 'ok'
        GROUP BY c.name, s.split ORDER BY c.name`,
    )
    .all(versionId) as { name: string; split: 'train' | 'validation' | 'test'; n: number }[];
  const byClass = new Map<string, { class: string; train: number; validation: number; test: number }>();
  for (const r of rows) {
    const e = byClass.get(r.name) ?? { class: r.name, train: 0, validation: 0, test: 0 };
    e[r.split] = r.n;
    byClass.set(r.name, e);
  }
  return [...byClass.values()];
}

export function buildModelCard(db: Database.Database, models: ExportModels, layouts: MemberLayout[], parity: ParityResult): ModelCard {
  const { run } = models;
  const version = new SplitsRepo(db).get(run.splitVersionId);
  const ids = new Set([run.id, ...models.members.map((m) => m.run.id)]);
  const lockbox = lockboxStatus(db, run.splitVersionId);
  const byThisModel = lockbox.entries
    .filter((e) => e.runId !== null && ids.has(e.runId))
    .map((e) => {
      const result = (e.result ?? {}) as { accuracy?: unknown; loss?: unknown };
      return {
        useNumber: e.useNumber,
        when: e.createdAt,
        accuracy: typeof result.accuracy === 'number' ? result.accuracy : null,
        loss: typeof result.loss === 'number' ? result.loss : null,
        mark: e.reuseMark,
      };
    });
  return {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: new Date().toISOString(),
    app: { name: 'Holdout', version: packageInfo().version },
    run: { id: run.id, name: run.name, kind: run.kind, modelKind: run.modelKind, createdAt: run.createdAt, finishedAt: run.finishedAt },
    classes: models.classes,
    data: { splitVersionId: run.splitVersionId, seed: version?.seed ?? 0, ratios: version?.ratios ?? null, perClass: perClassCounts(db, run.splitVersionId) },
    members: models.members.map((m, i) => ({
      runId: m.run.id,
      name: layouts[i]!.name,
      modelKind: m.state.modelKind,
      checkpointEpoch: m.checkpoint.epoch,
      validation: { accuracy: m.checkpoint.valAccuracy, loss: m.checkpoint.valLoss, bestEpoch: m.run.bestEpoch, epochsRun: m.run.epochsRun },
      settings: m.run.config,
      customLayers: layouts[i]!.customLayers,
    })),
    testSet: { uses: lockbox.uses, byThisModel },
    parity,
    status: parity.passed ? 'ok' : 'failed',
  };
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
const num = (x: number | null) => (x === null ? '—' : x.toFixed(4));

export function modelCardMarkdown(card: ModelCard): string {
  const l: string[] = [];
  l.push(`# Model card: ${card.run.name}`, '');
  if (card.status === 'failed') {
    l.push('> **EXPORT FAILED THE PARITY CHECK.** The exported files do not reproduce the app\'s predictions; do not use them.', `> ${card.parity.error ?? ''}`, '');
  }
  l.push(`Exported by Holdout ${card.app.version} on ${card.exportedAt} from run ${card.run.id} (${card.run.kind}, ${card.run.modelKind ?? 'unknown model'}).`, '');
  l.push('## Classes', '', `In output order (labels.json): ${card.classes.join(', ')}.`, '');
  l.push('## Data', '', `Split version ${card.data.splitVersionId} (seed ${card.data.seed}, ratios ${JSON.stringify(card.data.ratios)}).`, '');
  l.push('| class | train | validation | test |', '|---|---:|---:|---:|');
  for (const c of card.data.perClass) l.push(`| ${c.class} | ${c.train} | ${c.validation} | ${c.test} |`);
  l.push('', '## Models and validation results', '');
  if (card.members.length > 1) l.push(`An ensemble of ${card.members.length} models: its prediction is the mean of their probabilities.`, '');
  l.push('| model | run | kind | checkpoint epoch | validation accuracy | validation loss |', '|---|---:|---|---:|---:|---:|');
  for (const m of card.members) l.push(`| ${m.name} | ${m.runId} | ${m.modelKind} | ${m.checkpointEpoch} | ${pct(m.validation.accuracy)} | ${num(m.validation.loss)} |`);
  l.push('', 'The full settings of each model are in model-card.json (members[].settings).', '');
  l.push('## Test set', '');
  if (card.testSet.byThisModel.length === 0) {
    l.push(`This model was never evaluated on the test set (the test set of this split has been opened ${card.testSet.uses} time${card.testSet.uses === 1 ? '' : 's'} in all).`);
  } else {
    l.push(`The test set of this split has been opened ${card.testSet.uses} time${card.testSet.uses === 1 ? '' : 's'} in all; by this model:`, '');
    for (const t of card.testSet.byThisModel) l.push(`- use ${t.useNumber} on ${t.when}: accuracy ${pct(t.accuracy)}, loss ${num(t.loss)}${t.mark ? ` (${t.mark})` : ''}`);
    if (card.testSet.uses > 1) l.push('', 'A test set opened more than once has influenced choices: treat its result as optimistic.');
  }
  const p = card.parity;
  l.push('', '## Parity check', '');
  l.push(
    p.passed
      ? `Passed: on ${p.images} validation images, example/predict-node.mjs in a fresh process (backend ${p.exampleBackend}) reproduced the app's probabilities (backend ${p.appBackend}) within ${p.maxAbsDiff} (tolerance ${p.tolerance}).`
      : `FAILED on ${p.images} validation images: ${p.error ?? 'unknown reason'}.`,
  );
  l.push('', '## Using the model', '', 'See preprocessing.json for the exact preprocessing, and example/ for code that runs the model in Node (predict-node.mjs) and in a browser page (index.html).', '');
  const custom = card.members.find((m) => m.customLayers)?.customLayers;
  if (custom) {
    l.push(
      `This model uses Holdout's custom layers (${custom.classes.join(', ')}): load ${custom.file} and call defineHoldoutLayers(tf) before loading the model, as the examples do; plain TensorFlow.js cannot load it otherwise.`,
      '',
    );
  }
  return l.join('\n');
}
