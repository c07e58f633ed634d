// How many wasm instances compute the training steps of a run: the training thread alone,
// or it and gradient workers (DataParallelTrainer). Decided once per run, before the
// first step, from the machine and the model, never from the moment's load: the number of
// shards changes the float rounding of every update (and which rows share a dropout
// seed), so a seeded run repeats exactly only with the same count. That count is stored
// with the run (backend label and detail), and HOLDOUT_TRAIN_THREADS pins it.
//
// Measured (bench cpu, small CNN 28×28 batch 64, 2 cores): 450 → 919 images/s (2.04×)
// with one worker when a core is free, but 0.77× when none is (load ~12 on 2 cores): the
// two instances then share one core and pay for the messages. The default still uses
// every core (cores − 1 workers, at most MAX_GRADIENT_WORKERS) for the small CNN: the app
// is what the user is running while it trains; a machine busy with other work can be
// pinned to 1. The small ViT (no obstacle: layer norms only) did not win consistently
// where it was measured: with the slow stock BatchMatMul (load ~10 on 2 cores) 35 → 38 and
// 61 → 59 images/s at 32 px, batch 64, real runs 32 → 34 and 29 → 20; with the grouped
// BatchMatMul (wasm-kernels/batched-products.ts) at 28 px, batch 64: 129 → 189 at load
// ~3–4, but 159 → 106 and 119 → 104 at load 4–6. So it trains data-parallel only when the
// variable asks.
import { ApiError } from '../../../api/errors.js';
import type { BackendId } from '../backend/select-backend.js';
import { MAX_GRADIENT_WORKERS, defaultGradientWorkers } from './data-parallel-trainer.js';

export const TRAIN_THREADS_ENV = 'HOLDOUT_TRAIN_THREADS';

/** Model kinds trained from scratch, data-parallel by default: measured to win when a core is free. */
const DEFAULT_PARALLEL_KINDS: readonly string[] = ['small-cnn'];
/** Kinds that can be cut into shards when HOLDOUT_TRAIN_THREADS asks (not measured to win by default). */
const FORCEABLE_PARALLEL_KINDS: readonly string[] = ['small-cnn', 'small-vit'];

export interface TrainThreadsInput {
  backend: BackendId;
  modelKind: string;
  /** dataParallelObstacle(model): why the model cannot be cut into shards, or null. */
  obstacle: string | null;
  cores: number;
  /** The value of HOLDOUT_TRAIN_THREADS, if set. */
  env: string | undefined;
}

export interface TrainThreads {
  /** Gradient workers to start besides the training thread (0: none). */
  workers: number;
  /** Why, for the run's backend detail. */
  reason: string;
}

/** HOLDOUT_TRAIN_THREADS as a count of wasm instances (1 = the training thread alone), or null when unset. */
export function parseTrainThreadsEnv(raw: string | undefined): number | null {
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  const max = MAX_GRADIENT_WORKERS + 1;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ApiError('invalid_request', `${TRAIN_THREADS_ENV} must be a whole number from 1 to ${max}, got "${raw}"`, TRAIN_THREADS_ENV);
  }
  return n;
}

export function chooseTrainThreads(input: TrainThreadsInput): TrainThreads {
  const forced = parseTrainThreadsEnv(input.env);
  if (input.backend !== 'wasm') return { workers: 0, reason: `the ${input.backend} backend sizes its own threads` };
  const kinds = forced !== null ? FORCEABLE_PARALLEL_KINDS : DEFAULT_PARALLEL_KINDS;
  if (!kinds.includes(input.modelKind)) {
    // A frozen head's steps are a few dense layers (shipping them costs more than they
    // take); a fine-tuned backbone has batch-norm statistics (the obstacle below).
    return { workers: 0, reason: `${input.modelKind} trains on the training thread${forced !== null && forced > 1 ? ` (${TRAIN_THREADS_ENV} applies to small-cnn and small-vit)` : ''}` };
  }
  if (input.obstacle) return { workers: 0, reason: `not data-parallel: ${input.obstacle}` };
  if (forced !== null) return { workers: forced - 1, reason: `${TRAIN_THREADS_ENV}=${forced}` };
  const workers = defaultGradientWorkers(input.cores);
  return { workers, reason: `${input.cores} cores: ${workers} gradient worker${workers === 1 ? '' : 's'} beside the training thread` };
}
