import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Two cores: more parallel files only fight over them (and over sharp's threads).
    maxWorkers: 2,
    // Browser tests on a loaded 2-core machine can take a minute; a hung one still ends.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Two test files already keep both cores busy: a run's gradient workers would only
    // share them (measured slower with no free core) and pay their start-up in every short
    // test run. test/integration/train/parallel-training.test.ts asks for threads itself.
    env: { HOLDOUT_TRAIN_THREADS: '1' },
  },
});
