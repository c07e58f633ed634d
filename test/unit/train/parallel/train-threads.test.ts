// How many wasm instances train a run: the small CNN on wasm uses the spare cores
// (at most MAX_GRADIENT_WORKERS workers), HOLDOUT_TRAIN_THREADS pins the count, and
// everything else trains on the training thread alone.
import { describe, expect, it } from 'vitest';
import { MAX_GRADIENT_WORKERS } from '../../../../electron/engine/train/parallel/data-parallel-trainer.js';
import { chooseTrainThreads, parseTrainThreadsEnv } from '../../../../electron/engine/train/parallel/train-threads.js';

const base = { backend: 'wasm' as const, modelKind: 'small-cnn', obstacle: null, cores: 2, env: undefined };

describe('training threads', () => {
  it('uses one worker per spare core for the small CNN on wasm, capped', () => {
    expect(chooseTrainThreads(base).workers).toBe(1);
    expect(chooseTrainThreads({ ...base, cores: 4 }).workers).toBe(3);
    expect(chooseTrainThreads({ ...base, cores: 64 }).workers).toBe(MAX_GRADIENT_WORKERS);
    expect(chooseTrainThreads({ ...base, cores: 1 }).workers).toBe(0);
  });

  it('keeps other model kinds, models with state outside the gradient and other backends on one thread', () => {
    expect(chooseTrainThreads({ ...base, modelKind: 'frozen-head' }).workers).toBe(0);
    expect(chooseTrainThreads({ ...base, modelKind: 'fine-tune' }).workers).toBe(0);
    const obstacle = chooseTrainThreads({ ...base, obstacle: 'it has weights that training updates outside the gradient (x)' });
    expect(obstacle).toMatchObject({ workers: 0, reason: /not data-parallel/ });
    expect(chooseTrainThreads({ ...base, backend: 'tensorflow', env: '3' }).workers).toBe(0);
    expect(chooseTrainThreads({ ...base, backend: 'cpu', cores: 8 }).workers).toBe(0);
  });

  it('HOLDOUT_TRAIN_THREADS pins the count (1 = off), and a bad value names the variable', () => {
    expect(chooseTrainThreads({ ...base, cores: 8, env: '1' })).toMatchObject({ workers: 0, reason: 'HOLDOUT_TRAIN_THREADS=1' });
    expect(chooseTrainThreads({ ...base, cores: 1, env: '3' }).workers).toBe(2);
    // The small ViT did not win by default (measured): only when asked.
    expect(chooseTrainThreads({ ...base, modelKind: 'small-vit', cores: 4 }).workers).toBe(0);
    expect(chooseTrainThreads({ ...base, modelKind: 'small-vit', cores: 4, env: '2' }).workers).toBe(1);
    expect(chooseTrainThreads({ ...base, modelKind: 'frozen-head', env: '2' }).workers).toBe(0);
    expect(parseTrainThreadsEnv(undefined)).toBeNull();
    expect(parseTrainThreadsEnv(' ')).toBeNull();
    for (const bad of ['0', '2.5', 'two', String(MAX_GRADIENT_WORKERS + 2)]) {
      expect(() => parseTrainThreadsEnv(bad)).toThrow(/HOLDOUT_TRAIN_THREADS must be a whole number from 1 to 4/);
    }
  });
});
