// exportRun on real small CNNs trained on 32-px shapes: the export's own Node example,
// run in fresh processes, reproduces the app's probabilities (the parity check, and an
// independent run on the project's original files); an ensemble export averages its
// members; a damaged weight file fails the parity check as an error; bad input is refused
// naming the field. Real SQLite, real sharp, real TF.js.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { exportCommand } from '../../../electron/cli/commands/export-command.js';
import { averageProbabilities } from '../../../electron/engine/evaluate/ensemble-average.js';
import { evaluateRun } from '../../../electron/engine/evaluate/evaluate-run.js';
import { exportRun, verifyExport } from '../../../electron/engine/export/export-run.js';
import { loadExportModels } from '../../../electron/engine/export/export-members.js';
import { inAppProbabilities, maxAbsDiff, paritySample, runNodeExample } from '../../../electron/engine/export/parity.js';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import { runTraining } from '../../../electron/engine/train/run/run-training.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-export-');
const SETTINGS = { modelKind: 'small-cnn', epochs: 2, batchSize: 8, earlyStopping: { enabled: false }, backend: 'wasm' };

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; field?: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'expected a refusal').not.toBeNull();
  return err as { code: string; message: string; field?: string };
}

describe('export of small CNN runs', () => {
  let project: string;
  let single: number;
  let ensemble: number;
  let untrained: number;
  let db: ReturnType<typeof openDatabase>;
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 8, size: 32, colourByClass: true });
    project = path.join(tempDir(), 'project');
    expect((await runCli(['import', images, '--project', project])).code).toBe(0);
    expect((await runCli(['split', '--project', project, '--seed', '3'])).code).toBe(0);
    db = openDatabase(path.join(project, 'holdout.db'));
    single = createRun(db, { ...SETTINGS, seed: 1 }).id;
    ensemble = createRun(db, { ...SETTINGS, seed: 5, ensembleSize: 2 }).id;
    untrained = createRun(db, { ...SETTINGS, seed: 9 }).id;
    for (const id of [single, ...new RunsRepo(db).members(ensemble).map((m) => m.id)]) {
      const summary = await runTraining({ projectDir: project, runId: id, emit: () => undefined, shouldStop: () => false });
      expect(summary.status).toBe('completed');
    }
  });

  it('a single run: model, labels, preprocessing, card, examples; parity passes; the example reproduces evaluation', async () => {
    const out = path.join(tempDir(), 'export-single');
    const phases: string[] = [];
    const r = await exportRun(db, project, single, out, { onProgress: (p) => phases.push(p) });
    expect(r.files).toEqual(
      expect.arrayContaining(['model/model.json', 'model/weights.bin', 'labels.json', 'preprocessing.json', 'model-card.md', 'model-card.json', 'example/predict-node.mjs', 'example/index.html', 'example/predict-browser.js', 'example/tf.min.js', 'example/package.json']),
    );
    expect(r.parity.passed).toBe(true);
    expect(r.parity.images).toBeGreaterThan(0);
    expect(r.parity.maxAbsDiff).toBeLessThan(1e-4);
    expect(phases).toEqual(expect.arrayContaining(['loading', 'writing', 'in-app', 'example', 'finishing']));
    expect(JSON.parse(fs.readFileSync(path.join(out, 'labels.json'), 'utf8'))).toEqual(['circle', 'square', 'triangle']);
    const pre = JSON.parse(fs.readFileSync(path.join(out, 'preprocessing.json'), 'utf8'));
    expect(pre.members).toHaveLength(1);
    expect(pre.members[0]).toMatchObject({ runId: single, input: { size: 32, channels: 3, fit: 'fill' }, normalise: null, stages: [{ type: 'layers', path: 'model/model.json' }], customLayers: null });
    // Plain layers only: no custom-layers step, and the card says nothing of holdout-layers.js.
    expect(pre.steps.join('\n')).not.toMatch(/defineHoldoutLayers/);
    const card = JSON.parse(fs.readFileSync(path.join(out, 'model-card.json'), 'utf8'));
    expect(card).toMatchObject({ format: 'holdout-export', status: 'ok', classes: ['circle', 'square', 'triangle'], testSet: { uses: 0, byThisModel: [] } });
    expect(card.data.perClass.map((c: { train: number }) => c.train).every((n: number) => n > 0)).toBe(true);
    expect(fs.readFileSync(path.join(out, 'model-card.md'), 'utf8')).toContain('## Parity check');
    // No temporary folder is left beside the export.
    expect(fs.readdirSync(path.dirname(out)).filter((f) => f.startsWith('.export-single'))).toEqual([]);

    // Independently of the parity check: the example on the project's own files, in a new
    // process, against what evaluation reports for every validation image.
    const evaluation = await evaluateRun(db, project, single, 'validation');
    const files = evaluation.predictions.map((p) => new RunsRepo(db) && (db.prepare('SELECT path FROM images WHERE id = ?').pluck().get(p.imageId) as string));
    const example = await runNodeExample(out, files, 'wasm');
    expect(example.images).toHaveLength(files.length);
    const got = example.images.flatMap((i) => i.vector);
    const want = evaluation.predictions.flatMap((p) => p.probabilities);
    expect(maxAbsDiff(want, got).value).toBeLessThan(1e-4);
    // The plain-JavaScript backend in the example agrees too.
    const cpu = await runNodeExample(out, files.slice(0, 4), 'cpu');
    expect(cpu.backend).toBe('cpu');
    expect(maxAbsDiff(want.slice(0, 12), cpu.images.flatMap((i) => i.vector)).value).toBeLessThan(1e-4);
    // A simple model never loads the custom layers file: the example runs without it.
    fs.rmSync(path.join(out, 'example', 'holdout-layers.js'));
    expect((await runNodeExample(out, files.slice(0, 1), 'cpu')).images).toHaveLength(1);
  });

  it('an ensemble: one export with a model per member whose example averages them', async () => {
    const out = path.join(tempDir(), 'export-ensemble');
    const r = await exportRun(db, project, ensemble, out);
    expect(r.parity.passed).toBe(true);
    expect(r.files).toEqual(expect.arrayContaining(['members/0/model.json', 'members/1/model.json']));
    const pre = JSON.parse(fs.readFileSync(path.join(out, 'preprocessing.json'), 'utf8'));
    expect(pre.members).toHaveLength(2);
    expect(pre.combine).toContain('mean');
    const models = await loadExportModels(db, project, ensemble);
    try {
      const items = paritySample(db, models);
      const members = await Promise.all(models.members.map((m) => inAppProbabilities(project, { ...models, members: [m] }, items)));
      const example = await runNodeExample(out, items.map((i) => i.path), 'wasm');
      const got = example.images.flatMap((i) => i.vector);
      expect(maxAbsDiff(averageProbabilities(members, 3), got).value).toBeLessThan(1e-4);
      // The members differ, so the average is neither of them.
      expect(maxAbsDiff(members[0]!, got).value).toBeGreaterThan(1e-4);
    } finally {
      models.dispose();
    }
  });

  it('a damaged weight file fails the parity check with an error, never a warning', async () => {
    const out = path.join(tempDir(), 'export-damaged');
    expect((await exportRun(db, project, single, out)).parity.passed).toBe(true);
    const weights = path.join(out, 'model', 'weights.bin');
    const bytes = fs.readFileSync(weights);
    const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    for (let i = 0; i < floats.length; i += 7) floats[i] = floats[i]! * -3 + 0.5;
    fs.writeFileSync(weights, bytes);
    const damaged = await verifyExport(db, project, single, out);
    expect(damaged.passed).toBe(false);
    expect(damaged.maxAbsDiff).toBeGreaterThan(1e-4);
    expect(damaged.error).toMatch(/largest difference/);
    // A truncated file: the example itself fails, and that is the error.
    fs.writeFileSync(weights, bytes.subarray(0, 100));
    const truncated = await verifyExport(db, project, single, out);
    expect(truncated).toMatchObject({ passed: false, maxAbsDiff: null });
    expect(truncated.error).toMatch(/predict-node\.mjs failed/);
  });

  it('replaces an earlier export in place; the CLI prints the parity line', async () => {
    const out = path.join(tempDir(), 'export-again');
    await exportRun(db, project, single, out);
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    let code: number;
    try {
      code = await exportCommand({ project, run: String(single), out });
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const last = JSON.parse(lines.at(-1)!);
    expect(last).toMatchObject({ event: 'export', run_id: single, out, parity: { passed: true } });
    expect(last.parity.max_abs_diff).toBeLessThan(1e-4);
    expect(last.files).toContain('model/model.json');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l).event)).toContain('phase');
  });

  it('refuses bad input naming the field, before writing anything', async () => {
    const root = tempDir();
    expect(await refusal(exportRun(db, project, 999, path.join(root, 'a')))).toMatchObject({ code: 'not_found', field: 'runId' });
    const noModel = await refusal(exportRun(db, project, untrained, path.join(root, 'b')));
    expect(noModel).toMatchObject({ code: 'not_found', field: 'runId' });
    expect(noModel.message).toMatch(/no saved model/);
    const file = path.join(root, 'file.txt');
    fs.writeFileSync(file, 'mine');
    expect(await refusal(exportRun(db, project, single, file))).toMatchObject({ code: 'invalid_request', field: 'outDir' });
    const foreign = path.join(root, 'mine');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'notes.txt'), 'keep me');
    const taken = await refusal(exportRun(db, project, single, foreign));
    expect(taken).toMatchObject({ code: 'conflict', field: 'outDir' });
    expect(fs.readdirSync(foreign)).toEqual(['notes.txt']);
    const underFile = await refusal(exportRun(db, project, single, path.join(file, 'out')));
    expect(underFile).toMatchObject({ field: 'outDir' });
    expect(underFile.message).toMatch(/cannot be created/);
    if (process.getuid?.() !== 0) {
      // root may write anywhere: this case needs an ordinary user.
      const locked = path.join(root, 'locked');
      fs.mkdirSync(locked, { mode: 0o555 });
      expect((await refusal(exportRun(db, project, single, path.join(locked, 'out')))).message).toMatch(/is not writable/);
      fs.rmdirSync(locked);
    }
    expect(fs.readdirSync(root).sort()).toEqual(['file.txt', 'mine']);
  });
});
