// Training through the API as the Train screen drives it, on real images (coloured
// shapes rendered by sharp, imported and split through the service), trained by real
// TensorFlow.js on the WebAssembly backend in a worker thread: progress events that all
// name the backend, one training at a time, stop then resume from the last checkpoint,
// the run history, and a project closed mid-run leaving its run resumable.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKGROUND_NICE } from '../../../electron/engine/util/background-priority.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { refusal, trainFixture, type TrainFixture } from '../../unit/service/train-fixture.js';

const tempDir = tempDirFactory('holdout-train-api-');
// 3 classes × 40 images of 32 px: the small CNN learns them in a few seconds.
const SMALL_CNN = { modelKind: 'small-cnn', epochs: 8, batchSize: 16, seed: 3, learningRate: 0.002, backend: 'wasm' };

let f: TrainFixture;

/** Threads of this process at background priority, by name (Linux: a nice value is per thread). */
function loweredThreads(): string[] {
  const out: string[] = [];
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) >= BACKGROUND_NICE) out.push(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

beforeAll(async () => {
  f = await trainFixture(tempDir(), { perClass: 40 });
});
afterAll(async () => {
  await f?.service.dispose();
});

describe('train API', () => {
  let runId: number;

  it('starts a run, refuses a second one while it trains, and stops it after an epoch', async () => {
    const firstEpoch = f.next('train.progress', (e) => e.type === 'epoch');
    const ended = f.next('train.progress', (e) => e.type === 'end');
    const { run } = await f.call('train.start', { config: SMALL_CNN });
    runId = run.id;
    expect(run).toMatchObject({ name: 'Run 1', splitVersionId: 1, modelKind: 'small-cnn' });
    expect(await f.call('train.active')).toEqual({ runId });

    const busy = await refusal(f.call('train.start', { config: SMALL_CNN }));
    expect(busy.code).toBe('busy');
    expect(busy.message).toContain(`run ${runId}`);
    expect(await refusal(f.call('train.resume', { runId }))).toMatchObject({ code: 'busy' });

    const epoch = await firstEpoch;
    expect(epoch).toMatchObject({ runId, epoch: 1, backend: expect.stringMatching(/^CPU \(WebAssembly/) });
    // The training thread runs below the window's priority (the import's threads have ended;
    // libvips's helpers, lowered by the import, are left out by name).
    if (process.platform === 'linux') expect(loweredThreads().filter((n) => n !== 'libvips worker').length).toBeGreaterThanOrEqual(1);
    const stopping = await f.call('train.stop', { runId });
    expect(['stopping', 'stopped']).toContain(stopping.run.status);
    const end = await ended;
    expect(end.summary).toMatchObject({ runId, status: 'stopped' });
    expect(end.summary.epochsRun).toBeGreaterThanOrEqual(1);
    expect(end.summary.epochsRun).toBeLessThan(8);
    await f.next('project.changed', (p) => p.reason === 'runs');
    expect(await f.call('train.active')).toEqual({ runId: null });
    expect(await refusal(f.call('train.stop', { runId }))).toMatchObject({ code: 'conflict', field: 'runId' });
  });

  it('resumes the stopped run from its last checkpoint to a high validation accuracy, every event naming the backend', async () => {
    const before = (await f.call('runs.get', { runId })).epochs.length;
    const from = f.events.length;
    const ended = f.next('train.progress', (e) => e.type === 'end' && e.runId === runId, 90_000);
    const { run } = await f.call('train.resume', { runId });
    expect(run.id).toBe(runId);
    const end = await ended;
    expect(end.summary).toMatchObject({ status: 'completed', modelKind: 'small-cnn' });
    expect(end.summary.bestValAccuracy).toBeGreaterThanOrEqual(0.9);

    const progress = f.events.slice(from).filter((e) => e.event === 'train.progress').map((e) => e.payload);
    const types = new Set(progress.map((e) => e.type));
    for (const t of ['status', 'phase', 'batch', 'epoch', 'end']) expect(types, t).toContain(t);
    for (const e of progress) expect(e.backend, JSON.stringify(e)).toMatch(/^CPU \(WebAssembly, \d+ threads?\)$/);
    const resumedEpochs = progress.filter((e) => e.type === 'epoch').map((e) => e.epoch);
    expect(resumedEpochs[0]).toBe(before + 1);
    expect(progress.some((e) => e.type === 'status' && /Resumed after epoch/.test(e.message))).toBe(true);

    const detail = await f.call('runs.get', { runId });
    expect(detail.run).toMatchObject({ status: 'completed', epochsRun: end.summary.epochsRun, bestEpoch: end.summary.bestEpoch });
    expect(detail.epochs.map((e: { epoch: number }) => e.epoch)).toEqual(Array.from({ length: end.summary.epochsRun }, (_, i) => i + 1));
    expect(detail.checkpoints.map((c: { kind: string }) => c.kind)).toEqual(['best', 'last']);
    expect(detail.config).toMatchObject({ epochs: 8, seed: 3, splitVersion: 1 });
    expect(detail.batches.length).toBeGreaterThan(0);
    expect(detail.batchEvery).toBe(1);

    const { runs } = await f.call('runs.list');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: runId, status: 'completed', backend: end.summary.backend, bestValAccuracy: end.summary.bestValAccuracy });
    expect(await refusal(f.call('train.resume', { runId }))).toMatchObject({ code: 'conflict', field: 'runId' });
  });

  it('closing the project mid-run ends the worker and leaves the run resumable', async () => {
    const started = f.next('train.progress', (e) => e.type === 'status' && e.status === 'running');
    const { run } = await f.call('train.start', { config: { ...SMALL_CNN, epochs: 50, name: 'long' } });
    await started;
    const ended = f.next('train.progress', (e) => e.type === 'end' && e.runId === run.id);
    expect(await f.call('project.close')).toEqual({ closed: true });
    expect((await ended).summary.status).toBe('interrupted');
    await f.call('project.open', { dir: f.projectDir });
    const reopened = (await f.call('runs.list')).runs.find((r: { id: number }) => r.id === run.id);
    expect(reopened.status).toBe('interrupted');
    expect(await f.call('train.active')).toEqual({ runId: null });
  });
});
