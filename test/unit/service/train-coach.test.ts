// `runs.coach` on a real project and a real short run (coloured shapes, a small CNN on the
// WebAssembly backend): it answers with the coach's findings for the run as recorded,
// the same as the engine's rules give for it, with suggestions that name a setting; an
// unknown run is refused by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coachInput } from '../../../electron/engine/train/coach/coach-input.js';
import { coachRun } from '../../../electron/engine/train/coach/coach-run.js';
import { applyCoachLink, coachLink } from '../../../renderer/src/views/train/coach-links.js';
import { formFromDefaults } from '../../../renderer/src/views/train/train-form.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { refusal, trainFixture, type TrainFixture } from './train-fixture.js';

const tempDir = tempDirFactory('holdout-train-coach-');
// Few images and no augmentation: the coach has something to say (too few images at least).
const SHORT_RUN = { modelKind: 'small-cnn', epochs: 3, batchSize: 16, seed: 3, learningRate: 0.002, backend: 'wasm', augmentation: 'none' };

let f: TrainFixture;

beforeAll(async () => {
  f = await trainFixture(tempDir(), { perClass: 12 });
});
afterAll(async () => {
  await f?.service.dispose();
});

describe('runs.coach', () => {
  it('gives the coach’s findings for a run, live after an epoch and once it has ended', async () => {
    const firstEpoch = f.next('train.progress', (e) => e.type === 'epoch');
    const ended = f.next('train.progress', (e) => e.type === 'end', 60_000);
    const { run } = await f.call('train.start', { config: SHORT_RUN });

    // While it trains: the epoch is recorded before its event goes out, so the coach sees it.
    await firstEpoch;
    const live = await f.call('runs.coach', { runId: run.id });
    expect(Array.isArray(live.findings)).toBe(true);

    await ended;
    const { findings } = await f.call('runs.coach', { runId: run.id });
    const db = f.service.project()!.db;
    const { history, facts } = coachInput(db, run.id);
    expect(history.length).toBeGreaterThanOrEqual(1);
    expect(findings.length).toBeGreaterThan(0);
    // The contract strips nothing: the answer is the rules' own output, warnings first.
    expect(findings).toEqual(JSON.parse(JSON.stringify(coachRun(history, facts))));
    const severities = findings.map((x: { severity: string }) => x.severity);
    expect(severities).toEqual([...severities].sort((a: string, b: string) => (a === b ? 0 : a === 'warning' ? -1 : 1)));
    const ids = findings.map((x: { id: string }) => x.id);
    expect(ids).toContain('too-few-images');
    // With augmentation off, a suggestion turns it on through the setting that does it.
    const suggestions = findings.flatMap((x: { suggestions: unknown[] }) => x.suggestions);
    expect(suggestions).toContainEqual({ text: expect.stringMatching(/augmentation on/), setting: 'augmentation', value: 'default' });
    expect(suggestions).toContainEqual(expect.objectContaining({ setting: 'modelKind', value: 'frozen-head' }));

    // The Train screen's Apply: each of those suggestions sets the form field that applies it.
    const form = { ...formFromDefaults(null), augmentation: false };
    for (const s of suggestions) {
      const l = coachLink(s);
      if (s.setting === null) expect(l).toBeNull();
      if (s.setting === 'augmentation' && s.value === 'default') {
        expect(l).toMatchObject({ field: 'augmentation', value: true });
        expect(applyCoachLink(form, l!)).toBe(true);
      }
      if (s.setting === 'modelKind') {
        expect(l).toMatchObject({ field: 'modelKind', value: 'frozen-head' });
        expect(applyCoachLink(form, l!)).toBe(true);
      }
    }
    expect(form).toMatchObject({ augmentation: true, modelKind: 'frozen-head' });
    expect(coachLink({ text: 'Stop sooner.', setting: 'earlyStopping.patience', value: 3 })).toMatchObject({ field: 'patience', value: 3 });
    expect(coachLink({ text: 'Stronger.', setting: 'augmentation' })).toBeNull();
  });

  it('refuses an unknown run, naming runId', async () => {
    expect(await refusal(f.call('runs.coach', { runId: 4242 }))).toMatchObject({ code: 'not_found', field: 'runId' });
    expect(await refusal(f.call('runs.coach', { runId: 'one' }))).toMatchObject({ code: 'invalid_request', field: 'runId' });
  });
});
