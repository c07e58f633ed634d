// npm run bench -- cpu [--reps N] [--skip-peer] [--profile] [--workers N] [--parallel N] [--python PATH]
// Holdout on the CPU (TensorFlow.js, WebAssembly backend, the app's training kernels)
// against PyTorch on the same machine, in one run, on the same work (issue 8, item 5):
//   (a) MobileNetV2 inference 224×224, batch 16, images/s: the bundled full MobileNetV2
//       ('nsfwjs-mobilenet-v2', batch norms folded as the app loads it for features) in
//       one wasm instance, and through FeatureExtractPool (one worker per core) —
//       against TorchScript + optimize_for_inference (bench/helpers/cpu-inference.ts);
//   (b) the small CNN training on 28×28 Fashion-MNIST (Debian's dataset-fashion-mnist;
//       the very same images are written for the peer), batch 64, AdamW, images/s;
//   (c) one fine-tuning step of MobileNetV2's top block, 224×224, batch 16, seconds
//       (bench/helpers/cpu-training.ts), in a worker thread: if batch 16 exhausts the
//       wasm heap (4 GB) the failure is reported and batch 8 is measured instead; the
//       ratio then compares images/s of stepping.
// Each is warmed up and timed over --reps repetitions (default 5); medians are reported.
// The peer is bench/peers/torch_cpu.py, run with the first of `python3`, /usr/bin/python3
// (or --python) that imports torch and torchvision; this bench installs nothing:
// without torch and torchvision it says how to install them and reports pytorch: null.
// Ratios are Holdout ÷ PyTorch as "times as fast" (for (c), images/s of stepping).
// (b) is also measured data-parallel (b_parallel_ips, ratio b_parallel) over the gradient
// workers the app itself would start for a small CNN on this machine (parallel/
// train-threads.ts; HOLDOUT_TRAIN_THREADS), or over N workers besides the main one with
// --parallel N.
// --profile adds the 8 heaviest kernels of (a), (b) and (c) (tf.profile) to stderr and the JSON.
// Progress goes to stderr; the last stdout line is {"bench":"cpu", …}. About 3-6 minutes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../electron/engine/train/backend/use-backend.js';
import { registerWasmTrainingKernels } from '../electron/engine/train/backend/wasm-kernels/register.js';
import { bundledBackbone } from '../electron/engine/train/backbones/bundled.js';
import { measurePool, measureSingle } from './helpers/cpu-inference.js';
import { cpuRatios, peerAbsentMessage, type HoldoutCpuFigures, type PeerCpuFigures } from './helpers/cpu-peer.js';
import { FINE_TUNE_BATCH, measureSmallCnn } from './helpers/cpu-training.js';
import { readBalanced, requireFashionMnist } from './helpers/fashion-mnist.js';
import { measureFineTuneIsolated } from './helpers/fine-tune-isolated.js';
import { formatProfile, type KernelProfile } from './helpers/kernel-profile.js';
import { DEFAULT_PYTHONS, findTorchPython, runTorchPeer } from './helpers/run-torch-peer.js';
import { chooseTrainThreads, TRAIN_THREADS_ENV } from '../electron/engine/train/parallel/train-threads.js';

const BACKBONE_ID = 'nsfwjs-mobilenet-v2';
/** Fashion-MNIST images the small CNN cycles through (20 batches of 64), the same for the peer. */
const CNN_PER_CLASS = 128;
/** Tried when (c) at batch 16 exhausts the wasm heap: its images/s still compare. */
const FALLBACK_FINE_TUNE_BATCH = 8;

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    'skip-peer': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    workers: { type: 'string' },
    parallel: { type: 'string' },
    python: { type: 'string' },
  },
});
const log = (msg: string) => process.stderr.write(`[bench cpu] ${msg}\n`);
const load = () => os.loadavg().map((l) => Number(l.toFixed(2)));
const r = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function wholeOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`bench cpu: --${name} must be a whole number from ${min} to ${max}, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

async function main() {
  const reps = wholeOption('reps', values.reps, 1, 100)!;
  const workers = wholeOption('workers', values.workers, 1, 8);
  // Without --parallel: the app's own choice for a small CNN on this machine (train-threads.ts).
  const parallelWorkers =
    wholeOption('parallel', values.parallel, 1, 3) ?? (chooseTrainThreads({ backend: 'wasm', modelKind: 'small-cnn', obstacle: null, cores: os.availableParallelism(), env: process.env[TRAIN_THREADS_ENV] }).workers || undefined);
  requireFashionMnist('cpu');
  const cores = os.availableParallelism();
  const loadStart = load();
  log(`${cores} cores, load average ${loadStart.join(' ')}, ${reps} repetitions each`);

  // The peer is checked first: its absence is told before minutes of measuring.
  let python: string | null = null;
  let peerSkippedReason: string | null = '--skip-peer';
  if (!values['skip-peer']) {
    const found = findTorchPython(values.python ? [values.python] : DEFAULT_PYTHONS);
    python = found.python;
    peerSkippedReason = found.python === null ? found.reason : null;
    if (found.python === null) process.stderr.write(peerAbsentMessage(found.reason));
    else log(`PyTorch peer: ${found.python}`);
  }

  await useBackend('wasm');
  registerWasmTrainingKernels();
  const entry = bundledBackbone(BACKBONE_ID);
  const profiles: Record<string, KernelProfile> = {};

  log(`(a) ${BACKBONE_ID}, one wasm instance`);
  const single = await measureSingle(entry, reps, values.profile);
  log(`(a) single: ${single.ips.toFixed(1)} images/s (load ${load().join(' ')})`);
  if (single.profile) profiles['a_single'] = single.profile;

  log(`(a) FeatureExtractPool, ${workers ?? 'default'} workers`);
  const pool = await measurePool(entry, reps, workers);
  log(`(a) pool of ${pool.workers}: ${pool.ips.toFixed(1)} images/s (start ${pool.startSeconds.toFixed(1)} s; load ${load().join(' ')})`);

  const fashion = readBalanced('train', CNN_PER_CLASS);
  const images = Buffer.concat(fashion.images);
  const labels = Uint8Array.from(fashion.labels);
  log(`(b) small CNN on ${labels.length} Fashion-MNIST images`);
  const cnn = await measureSmallCnn(images, labels, reps, values.profile);
  log(`(b) small CNN: ${cnn.ips.toFixed(0)} images/s, ${(cnn.stepSeconds * 1000).toFixed(1)} ms/step, loss ${cnn.lastLoss.toFixed(3)} (load ${load().join(' ')})`);
  if (cnn.profile) profiles['b'] = cnn.profile;
  let cnnParallel: Awaited<ReturnType<typeof measureSmallCnn>> | null = null;
  if (parallelWorkers) {
    cnnParallel = await measureSmallCnn(images, labels, reps, false, parallelWorkers);
    log(`(b) small CNN, data-parallel over ${parallelWorkers + 1} wasm instances: ${cnnParallel.ips.toFixed(0)} images/s (load ${load().join(' ')})`);
  }

  log(`(c) fine-tuning the top block of ${BACKBONE_ID} (in a worker thread: batch ${FINE_TUNE_BATCH}, else ${FALLBACK_FINE_TUNE_BATCH})`);
  const isolated = await measureFineTuneIsolated(BACKBONE_ID, reps, values.profile, [FINE_TUNE_BATCH, FALLBACK_FINE_TUNE_BATCH], log);
  const ft = isolated.result;
  if (ft) {
    log(`(c) fine-tune blocks ${ft.blocks.join(',')} (${ft.trainableLayers.join(', ')}), batch ${ft.batch}: ${ft.stepSeconds.toFixed(2)} s/step, ${ft.ips.toFixed(1)} images/s (load ${load().join(' ')})`);
    if (ft.profile) profiles['c'] = ft.profile;
  }

  for (const [name, p] of Object.entries(profiles)) log(formatProfile(`profile ${name}`, p));
  const holdout: HoldoutCpuFigures = {
    a_single_ips: r(single.ips, 2),
    a_pool_ips: r(pool.ips, 2),
    b_ips: r(cnn.ips, 1),
    c_step_s: ft ? r(ft.stepSeconds, 4) : null,
    c_batch: ft?.batch ?? FINE_TUNE_BATCH,
  };
  const loadAfterHoldout = load();

  let peer: PeerCpuFigures | null = null;
  if (python) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-bench-cpu-'));
    try {
      const imagesFile = path.join(dir, 'images.u8');
      const labelsFile = path.join(dir, 'labels.u8');
      fs.writeFileSync(imagesFile, images);
      fs.writeFileSync(labelsFile, labels);
      log('running the PyTorch peer (bench/peers/torch_cpu.py)');
      peer = await runTorchPeer({ reps, imagesFile, labelsFile, count: labels.length, python });
    } catch (err) {
      peerSkippedReason = (err as Error).message;
      log(`the peer did not finish: ${peerSkippedReason}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const ratio = peer ? { ...cpuRatios(holdout, peer), ...(cnnParallel ? { b_parallel: Math.round((cnnParallel.ips / peer.b_ips) * 100) / 100 } : {}) } : null;
  const loadEnd = load();
  // Both sides want every core: with a 1-minute load at or above the core count the
  // 2-thread peer stalls on its slowest thread (PERFORMANCE.md) and the ratios mislead.
  const busy = Math.max(loadStart[0]!, loadAfterHoldout[0]!, loadEnd[0]!) >= cores;
  if (busy) log(`the machine was busy (1-minute load up to ${Math.max(loadStart[0]!, loadAfterHoldout[0]!, loadEnd[0]!)} on ${cores} cores): compare these figures only with a quiet run`);
  if (ratio) log(`Holdout ÷ PyTorch: (a) ${ratio.a}, (a, pool) ${ratio.a_pool}, (b) ${ratio.b}${cnnParallel ? `, (b, data-parallel) ${ratio.b_parallel}` : ''}, (c) ${ratio.c}`);

  console.log(
    JSON.stringify({
      bench: 'cpu',
      cores,
      load: { start: loadStart, after_holdout: loadAfterHoldout, end: loadEnd },
      busy,
      reps,
      backend: `${tf.getBackend()} (TensorFlow.js ${tf.version.tfjs}), training kernels registered`,
      holdout: {
        ...holdout,
        a_pool_workers: pool.workers,
        b_ms_per_step: r(cnn.stepSeconds * 1000, 1),
        ...(cnnParallel ? { b_parallel_ips: r(cnnParallel.ips, 1), b_parallel_threads: parallelWorkers! + 1 } : {}),
        c_ips: ft ? r(ft.ips, 2) : null,
        c_trainable_weights: ft?.trainableWeights ?? null,
        c_failed: isolated.failures,
      },
      pytorch: peer
        ? { a_ips: peer.a_ips, b_ips: peer.b_ips, c_step_s: peer.c_step_s, c_batch: peer.c_batch, c_ips: r(peer.c_batch / peer.c_step_s, 2), threads: peer.threads }
        : null,
      ratio,
      targets: { a: 1.0, b: 0.5 },
      peer: peer?.peer ?? null,
      peer_skipped_reason: peerSkippedReason,
      ...(values.profile ? { profile: profiles } : {}),
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
