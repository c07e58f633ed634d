// Export of small Vision Transformers (tiny: 16-px shapes, 2 epochs, real training): the
// export carries example/holdout-layers.js (the one definition of the custom layers the
// app computes with), preprocessing.json says which members need it, and the export's own
// Node example in a fresh process reproduces the app within 1e-4, for a single run and
// for an ensemble. A missing or damaged holdout-layers.js is an error naming the file.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportRun, verifyExport } from '../../../electron/engine/export/export-run.js';
import { runNodeExample } from '../../../electron/engine/export/parity.js';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { resourcesDir } from '../../../electron/engine/train/backbones/bundled.js';
import { createRun } from '../../../electron/engine/train/run/create-run.js';
import { runTraining } from '../../../electron/engine/train/run/run-training.js';
import { runCli } from '../../helpers/run-cli.js';
import { writeShapesDataset } from '../../helpers/shapes-dataset.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-export-vit-');
const SETTINGS = { modelKind: 'small-vit', inputSize: 16, epochs: 2, batchSize: 8, earlyStopping: { enabled: false }, backend: 'wasm' };
const VIT_CLASSES = ['HoldoutLayerNorm', 'HoldoutPatchEmbedding', 'HoldoutPositionEmbedding', 'HoldoutSelfAttention'];

describe('export of small Vision Transformer runs', () => {
  let project: string;
  let single: number;
  let ensemble: number;
  let db: ReturnType<typeof openDatabase>;
  let out: string;
  let someImages: string[];
  beforeAll(async () => {
    const images = await writeShapesDataset(path.join(tempDir(), 'shapes'), { perClass: 6, size: 16, colourByClass: true });
    project = path.join(tempDir(), 'project');
    expect((await runCli(['import', images, '--project', project])).code).toBe(0);
    expect((await runCli(['split', '--project', project, '--seed', '3'])).code).toBe(0);
    db = openDatabase(path.join(project, 'holdout.db'));
    single = createRun(db, { ...SETTINGS, seed: 1 }).id;
    ensemble = createRun(db, { ...SETTINGS, seed: 5, ensembleSize: 2 }).id;
    for (const id of [single, ...new RunsRepo(db).members(ensemble).map((m) => m.id)]) {
      const summary = await runTraining({ projectDir: project, runId: id, emit: () => undefined, shouldStop: () => false });
      expect(summary.status).toBe('completed');
    }
    someImages = (db.prepare('SELECT path FROM images ORDER BY id LIMIT 3').pluck().all() as string[]);
  });

  it('a single run exports with its layers file, says so, and the fresh-process parity check passes', async () => {
    out = path.join(tempDir(), 'export-single');
    const r = await exportRun(db, project, single, out);
    expect(r.parity.error).toBeNull();
    expect(r.parity).toMatchObject({ passed: true });
    expect(r.parity.images).toBeGreaterThan(0);
    expect(r.parity.maxAbsDiff).toBeLessThan(1e-4);
    expect(r.files).toEqual(expect.arrayContaining(['model/model.json', 'model/weights.bin', 'example/holdout-layers.js', 'example/predict-node.mjs']));
    // The export's copy IS the app's definition, byte for byte.
    expect(fs.readFileSync(path.join(out, 'example', 'holdout-layers.js'))).toEqual(fs.readFileSync(path.join(resourcesDir(), 'export-example', 'holdout-layers.js')));
    const pre = JSON.parse(fs.readFileSync(path.join(out, 'preprocessing.json'), 'utf8'));
    expect(pre.members[0]).toMatchObject({ modelKind: 'small-vit', input: { size: 16 }, customLayers: { file: 'example/holdout-layers.js', classes: VIT_CLASSES } });
    expect(pre.steps.join('\n')).toMatch(/defineHoldoutLayers\(tf\)/);
    expect(fs.readFileSync(path.join(out, 'model-card.md'), 'utf8')).toMatch(/custom layers \(HoldoutLayerNorm.*example\/holdout-layers\.js/);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'example', 'package.json'), 'utf8')).type).toBe('commonjs');
    // The plain-JavaScript backend of the example loads the layers too.
    const cpu = await runNodeExample(out, someImages, 'cpu');
    expect(cpu.backend).toBe('cpu');
    expect(cpu.images).toHaveLength(3);
  });

  it('an ensemble of ViTs exports as one folder and its averaged example passes parity', async () => {
    const dir = path.join(tempDir(), 'export-ensemble');
    const r = await exportRun(db, project, ensemble, dir);
    expect(r.parity.error).toBeNull();
    expect(r.parity.passed).toBe(true);
    expect(r.parity.maxAbsDiff).toBeLessThan(1e-4);
    const pre = JSON.parse(fs.readFileSync(path.join(dir, 'preprocessing.json'), 'utf8'));
    expect(pre.members).toHaveLength(2);
    for (const m of pre.members) expect(m.customLayers).toEqual({ file: 'example/holdout-layers.js', classes: VIT_CLASSES });
  });

  it('a missing or damaged holdout-layers.js stops the example with an error naming the file', async () => {
    const dir = path.join(tempDir(), 'export-broken');
    fs.cpSync(out, dir, { recursive: true });
    const file = path.join(dir, 'example', 'holdout-layers.js');
    const good = fs.readFileSync(file);

    fs.rmSync(file);
    await expect(runNodeExample(dir, someImages, 'cpu')).rejects.toThrow(/cannot load the custom layers file \S*holdout-layers\.js/);
    // The parity check turns it into a failed check whose error names the file.
    const missing = await verifyExport(db, project, single, dir);
    expect(missing).toMatchObject({ passed: false, maxAbsDiff: null });
    expect(missing.error).toMatch(/holdout-layers\.js/);

    fs.writeFileSync(file, good.subarray(0, Math.floor(good.length / 2))); // cut in the middle: a syntax error
    await expect(runNodeExample(dir, someImages, 'cpu')).rejects.toThrow(/custom layers file \S*holdout-layers\.js/);

    fs.writeFileSync(file, '// not the layers\nmodule.exports = {};\n');
    await expect(runNodeExample(dir, someImages, 'cpu')).rejects.toThrow(/holdout-layers\.js is damaged: it does not define defineHoldoutLayers/);

    // A file that defines the function but registers fewer classes than the model names.
    fs.writeFileSync(file, 'module.exports = { defineHoldoutLayers: () => ({}) };\n');
    await expect(runNodeExample(dir, someImages, 'cpu')).rejects.toThrow(/holdout-layers\.js does not define HoldoutLayerNorm/);
  });
});
