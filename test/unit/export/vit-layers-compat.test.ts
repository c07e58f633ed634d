// The small ViT's custom layers have ONE definition, resources/export-example/
// holdout-layers.js, shared by the engine and every export. Checked here against a tiny
// ViT saved by the code from BEFORE the layers moved there (fixtures/small-vit-before-
// shared-layers.json, made at git d69ae07): today's engine loads it and predicts the
// same, builds the same initial weights from the same seed, and the export's file loads
// it the same way in a fresh Node process with its own TensorFlow.js.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../../electron/engine/train/backend/use-backend.js';
import { buildSmallVit, type SmallVitOptions } from '../../../electron/engine/train/models/small-vit.js';
import { holdoutLayers, holdoutLayersPath } from '../../../electron/engine/train/models/vit-layers/holdout-layers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureFile = path.join(here, 'fixtures', 'small-vit-before-shared-layers.json');

interface Fixture {
  options: SmallVitOptions;
  input: { shape: [number, number, number, number]; seed: number; min: number; max: number };
  initialWeightData: string;
  checkpoint: { modelTopology: object; weightSpecs: tf.io.WeightsManifestEntry[]; weightData: string };
  predictions: number[];
}

const fixture = JSON.parse(fs.readFileSync(fixtureFile, 'utf8')) as Fixture;
const bytes = (b64: string): ArrayBuffer => {
  const b = Buffer.from(b64, 'base64');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

beforeAll(async () => {
  await useBackend('cpu');
});

describe('the ViT layers: one definition, old checkpoints still load', () => {
  it('the engine registers the classes holdout-layers.js defines, not copies of them', () => {
    const file = holdoutLayersPath();
    expect(path.relative(path.join(here, '..', '..', '..'), file)).toBe(path.join('resources', 'export-example', 'holdout-layers.js'));
    const { defineHoldoutLayers } = createRequire(import.meta.url)(file) as { defineHoldoutLayers(t: typeof tf): typeof holdoutLayers };
    const fromFile = defineHoldoutLayers(tf);
    const registered = tf.serialization.SerializationMap.getMap().classNameMap;
    for (const key of ['LayerNorm', 'PatchEmbedding', 'PositionEmbedding', 'SelfAttention'] as const) {
      expect(holdoutLayers[key]).toBe(fromFile[key]);
      expect(registered[holdoutLayers[key].className]![0]).toBe(holdoutLayers[key]);
    }
  });

  it('a checkpoint saved before the change loads and predicts what it predicted then', async () => {
    const model = await tf.loadLayersModel(tf.io.fromMemory({ ...fixture.checkpoint, weightData: bytes(fixture.checkpoint.weightData) }));
    const { shape, seed, min, max } = fixture.input;
    const p = tf.tidy(() => model.predict(tf.randomUniform(shape, min, max, 'float32', seed)) as tf.Tensor);
    expect(maxAbsDiff(await p.data(), fixture.predictions)).toBeLessThan(1e-6);
    tf.dispose([p]);
    model.dispose();
  });

  it('the same seed builds the same initial weights as before the change', async () => {
    const model = buildSmallVit(fixture.options);
    const now = Buffer.from((await artifactsOf(model)).weightData as ArrayBuffer).toString('base64');
    expect(now).toBe(fixture.initialWeightData);
    model.dispose();
  });

  it("the export's file alone (fresh Node, its own TensorFlow.js) loads the old checkpoint the same way", () => {
    const script = `
      const tf = require('@tensorflow/tfjs');
      const fs = require('node:fs');
      const { defineHoldoutLayers } = require(process.argv[1]);
      const f = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
      (async () => {
        await tf.setBackend('cpu');
        defineHoldoutLayers(tf);
        const b = Buffer.from(f.checkpoint.weightData, 'base64');
        const model = await tf.loadLayersModel(tf.io.fromMemory({ ...f.checkpoint, weightData: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) }));
        const x = tf.randomUniform(f.input.shape, f.input.min, f.input.max, 'float32', f.input.seed);
        console.log(JSON.stringify(Array.from(await model.predict(x).data())));
      })().catch((e) => { console.error(e.message); process.exit(1); });`;
    const r = spawnSync(process.execPath, ['-e', script, holdoutLayersPath(), fixtureFile], { encoding: 'utf8', cwd: path.join(here, '..', '..', '..'), timeout: 60_000 });
    expect(r.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
    expect(r.status).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('['))!;
    expect(maxAbsDiff(JSON.parse(line) as number[], fixture.predictions)).toBeLessThan(1e-6);
  });
});
