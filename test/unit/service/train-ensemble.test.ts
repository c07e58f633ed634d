// An ensemble through the API as the Train, Runs and Evaluate screens drive it: train.start
// with ensembleSize trains its members in one worker thread, every progress event under
// the ensemble's id tagged with its member; Stop pressed on a member stops the ensemble;
// a member cannot be resumed alone, the ensemble resumes with the members left; runs.list
// links members to their ensemble; evaluate.run returns each member and the gain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Evaluation } from '../../../electron/api/evaluate-schemas.js';
import { RunRow, TrainProgress } from '../../../electron/api/train-schemas.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { refusal, trainFixture, type TrainFixture } from './train-fixture.js';

const tempDir = tempDirFactory('holdout-train-ensemble-');
const CONFIG = { modelKind: 'small-cnn', epochs: 2, batchSize: 16, seed: 3, learningRate: 0.003, backend: 'wasm', augmentation: 'none', ensembleSize: 2 };

let f: TrainFixture;

beforeAll(async () => {
  f = await trainFixture(tempDir(), { perClass: 12 });
}, 60_000);
afterAll(async () => {
  await f?.service.dispose();
});

describe('an ensemble through the API', () => {
  it('refuses a bad ensemble size naming the field', async () => {
    for (const bad of [0, 11, 2.5]) {
      expect(await refusal(f.call('train.start', { config: { ...CONFIG, ensembleSize: bad } }))).toMatchObject({ code: 'invalid_request', field: 'ensembleSize' });
    }
  });

  it('stops from a member, resumes the ensemble (not the member), lists members under it and evaluates with members and gain', async () => {
    const from = f.events.length;
    const firstEpoch = f.next('train.progress', (e) => e.type === 'epoch');
    const stopped = f.next('train.progress', (e) => e.type === 'end', 90_000);
    const { run } = await f.call('train.start', { config: CONFIG });
    expect(run).toMatchObject({ kind: 'ensemble', parentRunId: null });
    const epoch = await firstEpoch;
    expect(epoch).toMatchObject({ runId: run.id, member: { index: 1, count: 2 } });
    // Stop pressed on the member's own row stops the ensemble.
    await f.call('train.stop', { runId: epoch.member.runId });
    expect((await stopped).summary).toMatchObject({ runId: run.id, status: 'stopped' });

    const listed = (await f.call('runs.list')).runs as { id: number; kind: string; parentRunId: number | null; status: string }[];
    for (const r of listed) expect(RunRow.strict().safeParse(r).error).toBeUndefined();
    const members = listed.filter((r) => r.parentRunId === run.id).sort((a, b) => a.id - b.id);
    expect(members.map((m) => [m.kind, m.status])).toEqual([
      ['member', 'stopped'],
      ['member', 'queued'],
    ]);
    expect(await refusal(f.call('train.resume', { runId: members[0]!.id }))).toMatchObject({ code: 'conflict', field: 'runId', message: expect.stringMatching(/member of ensemble .*resume the ensemble/) });
    expect(await refusal(f.call('evaluate.run', { runId: run.id, split: 'validation' }))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/not fully trained/) });

    const ended = f.next('train.progress', (e) => e.type === 'end', 90_000);
    await f.call('train.resume', { runId: run.id });
    expect((await ended).summary).toMatchObject({ runId: run.id, status: 'completed', epochsRun: 4 });
    const events = f.events.slice(from).filter((e) => e.event === 'train.progress').map((e) => e.payload);
    for (const e of events) {
      expect(TrainProgress.safeParse(e).error).toBeUndefined();
      expect(e.runId).toBe(run.id);
    }
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.member.index)).toEqual([1, 1, 2, 2]);

    const e = await f.call('evaluate.run', { runId: run.id, split: 'validation' });
    expect(Evaluation.strict().safeParse(e).error).toBeUndefined();
    expect(e.members.map((m: { runId: number }) => m.runId)).toEqual(members.map((m) => m.id));
    const mean = e.members.reduce((a: number, m: { accuracy: number }) => a + m.accuracy, 0) / 2;
    expect(e.gain).toBeCloseTo(e.accuracy - mean, 10);
    // Saved and returned the same way later.
    expect(await f.call('evaluate.get', { evaluationId: e.id })).toEqual(e);
    const ensembleRow = (await f.call('runs.get', { runId: run.id })).run;
    expect(ensembleRow.bestValAccuracy).toBeCloseTo(e.accuracy, 10);
  });
});
