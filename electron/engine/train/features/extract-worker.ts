// Worker thread entry of FeatureExtractPool: one WebAssembly instance (wasm runs on a
// single thread in Node), one backbone loaded once, then batch after batch of images
// turned into features. Pixels come decoded from the caller or, given a file, are
// decoded here; features go back in a transferred buffer.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../../api/errors.js';
import { useBackend } from '../backend/use-backend.js';
import { decodeImage, ImageDecodeError } from '../data/decode-image.js';
import { extractBatch, type BatchImage } from './extract-batch.js';
import { loadExtractModel, type ExtractModel } from './extract-model.js';
import type { ExtractImage, ExtractWorkerData, FromWorker, SerializedError, ToWorker } from './extract-protocol.js';

const data = workerData as ExtractWorkerData;
const port = parentPort!;
const send = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

function serialize(err: unknown, file?: string): SerializedError {
  if (err instanceof ApiError) return { name: err.name, message: err.message, code: err.code, ...(err.field ? { field: err.field } : {}) };
  if (err instanceof ImageDecodeError) return { name: err.name, message: err.message, file: err.file };
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message, ...(file ? { file } : {}) };
}

async function pixelsOf(image: ExtractImage, model: ExtractModel): Promise<BatchImage> {
  if (image.pixels) return { name: image.name, pixels: image.pixels, augment: image.augment };
  const file = typeof image.file === 'string' ? image.file : Buffer.from(image.file.buffer, image.file.byteOffset, image.file.byteLength);
  const pixels = await decodeImage(file, image.name, { size: model.inputSize, channels: model.channels, resize: data.resize });
  return { name: image.name, pixels, augment: image.augment };
}

async function runJob(model: ExtractModel, images: ExtractImage[]): Promise<Float32Array> {
  const batch = await Promise.all(images.map((image) => pixelsOf(image, model)));
  try {
    return await extractBatch(model.run, batch, model.inputSize, model.channels);
  } catch (err) {
    // A failure of the whole batch names its images, so the user can find the one at fault.
    const names = images.map((i) => i.name);
    const which = names.length === 1 ? names[0]! : `${names.length} images (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`;
    const e = err as Error;
    if (e instanceof ApiError || e.message.startsWith(`${names[0]}:`)) throw err;
    throw Object.assign(new Error(`features of ${which}: ${e.message}`), { file: names[0] });
  }
}

async function main(): Promise<void> {
  let model: ExtractModel;
  try {
    await useBackend(data.backend);
    model = await loadExtractModel({ dir: data.dir, descriptor: data.descriptor }, data.featureLayer, data.fold);
  } catch (err) {
    send({ type: 'failed', error: serialize(err) });
    return;
  }
  // Jobs run one at a time, in arrival order: the wasm thread is the one resource here.
  let queue = Promise.resolve();
  port.on('message', (msg: ToWorker) => {
    queue = queue.then(async () => {
      if (msg.type === 'memory') {
        const m = tf.memory();
        send({ type: 'memory', id: msg.id, numTensors: m.numTensors, numBytes: m.numBytes });
        return;
      }
      try {
        const features = await runJob(model, msg.images);
        const whole = features.byteOffset === 0 && features.byteLength === features.buffer.byteLength;
        const out = whole ? features : features.slice();
        send({ type: 'done', id: msg.id, features: out }, [out.buffer as ArrayBuffer]);
      } catch (err) {
        send({ type: 'error', id: msg.id, error: serialize(err, (err as { file?: string }).file) });
      }
    });
  });
  send({ type: 'ready', featureDim: model.featureDim, folded: model.folded });
}

void main();
