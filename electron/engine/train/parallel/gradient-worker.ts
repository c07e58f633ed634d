// Worker thread of DataParallelTrainer: one WebAssembly instance (wasm is single-threaded
// in Node) holding a replica of the model. Each step it takes the current weights and a
// shard of the batch, and returns that shard's gradients, mean loss and correct count;
// the training thread averages the shards and applies the one optimizer update.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../backend/use-backend.js';
// Registers the ViT's own layers (HoldoutLayerNorm, …), so a small ViT's topology rebuilds here.
import '../models/vit-layers/holdout-layers.js';
import { registerWasmTrainingKernels } from '../backend/wasm-kernels/register.js';
import { correctCount, crossEntropy } from '../run/metrics.js';
import type { Flat, FromGradientWorker, GradientWorkerData, ToGradientWorker } from './gradient-protocol.js';
import { withDropoutSeeds } from './seeded-dropout.js';

const data = workerData as GradientWorkerData;
const port = parentPort!;
const send = (msg: FromGradientWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

function flat(t: tf.Tensor): Flat {
  // A copy: the cpu backend hands out its own buffer, which a transfer would detach.
  return { values: new Float32Array(t.dataSync() as Float32Array), shape: t.shape };
}

async function main(): Promise<void> {
  let model: tf.LayersModel;
  let vars: tf.Variable[];
  try {
    await useBackend(data.backend);
    if (data.backend === 'wasm') registerWasmTrainingKernels();
    model = await tf.models.modelFromJSON({ modelTopology: JSON.parse(data.topology) as tf.io.ModelJSON['modelTopology'] });
    vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  send({ type: 'ready', weightShapes: vars.map((v) => v.shape) });

  port.on('message', (msg: ToGradientWorker) => {
    if (msg.type === 'memory') {
      const m = tf.memory();
      send({ type: 'memory', id: msg.id, numTensors: m.numTensors, numBytes: m.numBytes });
      return;
    }
    try {
      msg.weights.forEach((w, i) => tf.tidy(() => vars[i]!.assign(tf.tensor(w.values, w.shape))));
      const x = tf.tensor(msg.x.values, msg.x.shape);
      const y = tf.tensor(msg.y.values, msg.y.shape);
      let correctT: tf.Scalar | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const p = withDropoutSeeds(model, msg.dropoutSeed, () => model.apply(x, { training: true }) as tf.Tensor);
        correctT = tf.keep(correctCount(p, y));
        return crossEntropy(p, y);
      }, vars);
      const out = vars.map((v) => flat(grads[v.name]!));
      const loss = value.dataSync()[0]!;
      const correct = correctT!.dataSync()[0]!;
      tf.dispose([x, y, value, correctT!, ...Object.values(grads)]);
      send({ type: 'step', id: msg.id, grads: out, loss, correct }, out.map((g) => g.values.buffer as ArrayBuffer));
    } catch (err) {
      send({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
    }
  });
}

void main();
