// An ensemble whose members differ in backbone (issue 7: "optionally in backbone"): two
// frozen-head members on the two bundled MobileNetV2 backbones (a graph model and a layers
// model, with their own feature sizes), trained for real on rendered photos; each member
// records its own backbone, the ensemble lists both, evaluation and prediction average the
// members each fed its own way, and the export of the ensemble passes its parity check.
// Bad lists are refused before anything runs, naming the field.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun } from '../../../electron/engine/evaluate/evaluate-run.js';
import { exportRun } from '../../../electron/engine/export/export-run.js';
import { predictFiles } from '../../../electron/engine/predict/predict-files.js';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import { runEnsemble } from '../../../electron/engine/train/run/run-ensemble.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-ensemble-backbones-');
const GRAPH = 'nsfwjs-mobilenet-v2-mid';
const LAYERS = 'nsfwjs-mobilenet-v2';
const CONFIG = {
  modelKind: 'frozen-head',
  ensembleSize: 2,
  ensembleBackbones: [GRAPH, LAYERS],
  epochs: 4,
  batchSize: 8,
  augmentViews: 0,
  earlyStopping: { enabled: false },
  backend: 'wasm',
  seed: 5,
} as const;

let dir: string;
let images: string;
let db: Database.Database;

beforeAll(async () => {
  images = await writeShapesDataset(path.join(tempDir(), 'photos'), { perClass: 8, size: 72, colourByClass: true, shapes: ['circle', 'square'], seed: 2 });
  dir = path.join(tempDir(), 'project');
  expect((await runCli(['import', images, '--project', dir])).code).toBe(0);
  expect((await runCli(['split', '--project', dir, '--seed', '3'])).code).toBe(0);
  db = openDatabase(path.join(dir, 'holdout.db'));
}, 60_000);
afterAll(() => db?.close());

function refusal(config: unknown): { code?: string; field?: string; message: string } {
  try {
    createRun(db, config, dir);
  } catch (err) {
    return err as { code?: string; field?: string; message: string };
  }
  throw new Error(`accepted: ${JSON.stringify(config)}`);
}

describe('members on different backbones', () => {
  it('refuses lists that cannot work, naming ensembleBackbones, and makes no run', () => {
    const before = new RunsRepo(db).list().length;
    expect(refusal({ ...CONFIG, ensembleSize: 1 })).toMatchObject({ code: 'invalid_request', field: 'ensembleBackbones', message: expect.stringMatching(/ensembleSize to 2 or more/) });
    expect(refusal({ ...CONFIG, modelKind: 'small-cnn' })).toMatchObject({ field: 'ensembleBackbones', message: expect.stringMatching(/frozen-head.*fine-tune.*"small-cnn"/) });
    expect(refusal({ ...CONFIG, modelKind: 'auto' })).toMatchObject({ field: 'ensembleBackbones' });
    expect(refusal({ ...CONFIG, backbone: GRAPH })).toMatchObject({ field: 'ensembleBackbones', message: expect.stringMatching(/not both/) });
    expect(refusal({ ...CONFIG, ensembleBackbones: [GRAPH, 'no-such-model'] })).toMatchObject({
      code: 'not_found',
      field: 'ensembleBackbones.1',
      message: expect.stringMatching(/no-such-model.*can use: .*nsfwjs-mobilenet-v2/),
    });
    expect(refusal({ ...CONFIG, modelKind: 'fine-tune' })).toMatchObject({ field: 'ensembleBackbones.0', message: expect.stringMatching(/graph model.*cannot be fine-tuned/) });
    for (const bad of [[], [''], 'nsfwjs-mobilenet-v2', [GRAPH, 7], Array.from({ length: 11 }, () => GRAPH)]) {
      expect(refusal({ ...CONFIG, ensembleBackbones: bad }).field, JSON.stringify(bad)).toMatch(/^ensembleBackbones/);
    }
    expect(new RunsRepo(db).list().length).toBe(before);
  });

  it('gives member i the (i mod n)-th backbone and keeps everything else shared', () => {
    const runs = new RunsRepo(db);
    const ensemble = createRun(db, { ...CONFIG, ensembleSize: 5, name: 'Cycle' }, dir);
    const members = runs.members(ensemble.id);
    expect(members.map((m) => (m.config as { backbone?: string }).backbone)).toEqual([GRAPH, LAYERS, GRAPH, LAYERS, GRAPH]);
    for (const m of members) expect((m.config as Record<string, unknown>).ensembleBackbones).toBeUndefined();
    expect((ensemble.config as { ensembleBackbones?: string[] }).ensembleBackbones).toEqual([GRAPH, LAYERS]);
    runs.delete(ensemble.id);
  });

  it('trains, evaluates, predicts and exports an ensemble over a graph and a layers backbone', async () => {
    const runs = new RunsRepo(db);
    const ensemble = createRun(db, { ...CONFIG, name: 'Two backbones' }, dir);
    const summary = await runEnsemble({ projectDir: dir, runId: ensemble.id, emit: () => undefined, shouldStop: () => false });
    expect(summary, JSON.stringify(summary)).toMatchObject({ status: 'completed', modelKind: 'frozen-head', epochsRun: 8 });
    const members = runs.members(ensemble.id);
    // Each member really used its own backbone (recorded by the training itself).
    expect(members.map((m) => (m.config as { resolved?: { backbone?: string } }).resolved?.backbone)).toEqual([GRAPH, LAYERS]);
    const resolved = (runs.get(ensemble.id)!.config as { resolved: Record<string, unknown> }).resolved;
    expect(resolved).toMatchObject({ backbone: `${GRAPH} + ${LAYERS}`, members: 2 });
    expect(resolved.inputSize).toBeUndefined();
    // The ensemble says how its members were computed (their label, e.g. the extraction pool's threads).
    expect(runs.get(ensemble.id)!.backend).toBe(runs.get(members[1]!.id)!.backend);
    expect(summary.backend).toBe(runs.get(members[1]!.id)!.backend);
    expect(summary.backend).toMatch(/^CPU \(WebAssembly, \d+ threads? /);

    const evaluation = await evaluateRun(db, dir, ensemble.id, 'validation', { backend: 'current' });
    expect(evaluation.members?.map((m) => m.runId)).toEqual(members.map((m) => m.id));
    expect(runs.get(ensemble.id)!.bestValAccuracy).toBeCloseTo(evaluation.accuracy, 10);

    const photo = path.join(images, 'circle', fs.readdirSync(path.join(images, 'circle'))[0]!);
    const predicted = await predictFiles(db, dir, ensemble.id, [photo]);
    expect(predicted.model).toMatchObject({ kind: 'ensemble', members: 2 });
    const probabilities = Object.values(predicted.results[0]!.probabilities!);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);

    const out = path.join(tempDir(), 'export');
    const exported = await exportRun(db, dir, ensemble.id, out);
    expect(exported.parity.passed, JSON.stringify(exported.parity)).toBe(true);
    expect(exported.parity.maxAbsDiff).toBeLessThan(1e-4);
    const pre = JSON.parse(fs.readFileSync(path.join(out, 'preprocessing.json'), 'utf8')) as { members: { stages: { type: string }[] }[] };
    // One member chains the graph backbone and its head, the other is one layers model.
    expect(pre.members).toHaveLength(2);
    expect(pre.members.map((m) => m.stages.map((s) => s.type).join('>')).sort()).toEqual(['graph>layers', 'layers'].sort());
  }, 240_000);
});
