// The words beside the Train screen's curves (images/s, ETA) and of the backbone picker
// (labels, download progress, why a download failed), and the coach's links into the form.
import { describe, expect, it } from 'vitest';
import { backboneLabel, downloadFailureWords, downloadFraction, downloadProgressWords } from '../../../renderer/src/views/train/backbone-words.js';
import { coachLink } from '../../../renderer/src/views/train/coach-links.js';
import { averageRate, speedWords, type TrainEvent } from '../../../renderer/src/views/train/progress-text.js';

const tag = { runId: 1, backend: 'CPU (WebAssembly)' };
const batch = (imagesPerSecond: number | null, etaSeconds: number | null): TrainEvent => ({
  type: 'batch',
  ...tag,
  epoch: 2,
  batch: 3,
  batches: 10,
  loss: 0.5,
  accuracy: 0.8,
  imagesPerSecond,
  etaSeconds,
});
const epoch = (imagesPerSecond: number | null, etaSeconds: number | null): TrainEvent => ({
  type: 'epoch',
  ...tag,
  improved: true,
  bestEpoch: 1,
  etaSeconds,
  epoch: 1,
  trainLoss: 1,
  trainAccuracy: 0.5,
  valLoss: 1,
  valAccuracy: 0.5,
  learningRate: 0.001,
  seconds: 2,
  imagesPerSecond,
});
const phase = (p: 'decoding' | 'features', imagesPerSecond: number | null): TrainEvent => ({ type: 'phase', ...tag, phase: p, done: 10, total: 100, imagesPerSecond });

describe('speedWords', () => {
  it('gives the live rate and ETA of the batch in flight', () => {
    expect(speedWords({ active: true, work: batch(1234, 150), last: epoch(900, 400), epochs: [], seconds: null })).toEqual({
      rate: '1,234 images/s',
      time: 'about 3 minutes left',
    });
  });

  it('falls back to the last epoch when the batch has no numbers yet', () => {
    expect(speedWords({ active: true, work: null, last: epoch(42, 30), epochs: [], seconds: null })).toEqual({ rate: '42 images/s', time: 'about 30 seconds left' });
    expect(speedWords({ active: true, work: batch(null, null), last: epoch(42, 30), epochs: [], seconds: null }).rate).toBe('42 images/s');
  });

  it('says the end is estimated once training starts while images are read', () => {
    expect(speedWords({ active: true, work: phase('decoding', 300), last: null, epochs: [], seconds: null })).toEqual({
      rate: '300 images/s',
      time: 'estimated once training starts',
    });
    expect(speedWords({ active: true, work: null, last: null, epochs: [], seconds: null })).toEqual({ rate: 'measuring…', time: 'estimating…' });
  });

  it('gives a finished run its average speed and duration', () => {
    const epochs = [{ imagesPerSecond: 100 }, { imagesPerSecond: 300 }, { imagesPerSecond: null }];
    expect(averageRate(epochs)).toBe(200);
    expect(averageRate([])).toBeNull();
    expect(speedWords({ active: false, work: null, last: null, epochs, seconds: 75 })).toEqual({ rate: '200 images/s on average', time: '1 min 15 s' });
    expect(speedWords({ active: false, work: null, last: null, epochs: [], seconds: null })).toEqual({ rate: '—', time: '—' });
  });
});

describe('backbone words', () => {
  const b = { id: 'mnv2', name: 'MobileNetV2', inputSize: 224, featureDim: 1280, bundled: true };

  it('labels a backbone with its size, features and where it lives', () => {
    expect(backboneLabel(b, 'mnv2')).toBe('MobileNetV2 (224 px, 1,280 features) — bundled, the default');
    expect(backboneLabel({ ...b, bundled: false }, 'other')).toBe('MobileNetV2 (224 px, 1,280 features) — in this project');
  });

  it('tells download progress in files and bytes', () => {
    expect(downloadProgressWords(null)).toBe('Connecting…');
    const p = { file: 'group1-shard1of2.bin', fileIndex: 1, fileCount: 3, bytes: 1_500_000, totalBytes: 6_000_000 };
    expect(downloadProgressWords(p)).toBe('File 2 of 3: 1.5 MB of 6 MB');
    expect(downloadFraction(p)).toBe(0.25);
    expect(downloadFraction({ ...p, totalBytes: null })).toBeNull();
    expect(downloadProgressWords({ ...p, fileCount: null, totalBytes: null })).toBe('File 2: 1.5 MB');
  });

  it('says plainly that the computer is offline, and passes other reasons on', () => {
    const offline = downloadFailureWords('MobileNetV3', 'no network: cannot reach www.kaggle.com (ENOTFOUND). Online models can be downloaded only…');
    expect(offline).toMatch(/^MobileNetV3 could not be downloaded: this computer cannot reach the internet/);
    expect(offline).toMatch(/import a model folder/);
    expect(downloadFailureWords('X', 'model.json: https://x answered 404 Not Found')).toBe('X could not be downloaded: model.json: https://x answered 404 Not Found');
  });
});

describe('coachLink into the full form', () => {
  it('switches early stopping itself, now that the form has the switch', () => {
    expect(coachLink({ text: 'Turn early stopping on.', setting: 'earlyStopping.enabled', value: true })).toEqual({ field: 'earlyStop', value: true, label: 'Stop early' });
    expect(coachLink({ text: 'Look at early stopping.', setting: 'earlyStopping.enabled' })).toEqual({ field: 'earlyStop', label: 'Stop early' });
    expect(coachLink({ text: 'Wait longer.', setting: 'earlyStopping.patience', value: 8 })).toEqual({ field: 'patience', value: 8, label: 'Early stopping patience' });
  });
});
