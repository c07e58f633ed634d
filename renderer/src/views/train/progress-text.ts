// The words of the Train screen's live status: the phase a run is in, how fast, how long
// is left, and how it ended. Pure functions of the progress events.
import type { EventPayload } from '../../../../electron/api/contract.js';
import { formatCount, formatDuration, formatEta, formatRate } from '../../lib/format.js';

export type TrainEvent = EventPayload<'train.progress'>;
export type RunSummaryView = Extract<TrainEvent, { type: 'end' }>['summary'];

/** "95%" (one decimal below 10 points from the ends would be noise for a person). */
export function pct(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

export function fixed(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** The line under the status: what the worker does now. */
export function phaseLine(e: TrainEvent | null, epochs: number | null): string {
  if (!e) return 'Starting the training process…';
  switch (e.type) {
    case 'status':
      return e.message;
    case 'phase': {
      const what = e.phase === 'decoding' ? 'Reading images' : e.phase === 'features' ? 'Computing backbone features' : e.phase === 'loading' ? 'Loading' : 'Training';
      const rate = e.imagesPerSecond ? ` · ${formatRate(e.imagesPerSecond, 'images')}` : '';
      const left = e.imagesPerSecond && e.total > e.done ? ` · ${formatEta((e.total - e.done) / e.imagesPerSecond)}` : '';
      return `${what}: ${formatCount(e.done)} of ${formatCount(e.total)}${rate}${left}`;
    }
    case 'batch':
      return `Training: epoch ${e.epoch}${epochs ? ` of ${epochs}` : ''} · batch ${e.batch} of ${e.batches} · ${formatRate(e.imagesPerSecond ?? 0, 'images')} · ${formatEta(e.etaSeconds)}`;
    case 'epoch':
      return `Epoch ${e.epoch} done: validation accuracy ${pct(e.valAccuracy)}${e.improved ? ' (best so far)' : ''} · ${formatEta(e.etaSeconds)}`;
    case 'end':
      return endLine(e.summary);
  }
}

/** How a run ended, in a sentence. */
export function endLine(s: RunSummaryView): string {
  const best = s.bestEpoch !== null ? ` Best epoch ${s.bestEpoch}: validation accuracy ${pct(s.bestValAccuracy)}.` : '';
  const took = ` (${formatDuration(s.seconds)})`;
  switch (s.status) {
    case 'completed':
      return s.stoppedEarly
        ? `Finished: early stopping after ${s.epochsRun} epochs kept the best epoch's weights${took}.${best}`
        : `Finished: ${s.epochsRun} epochs${took}.${best}`;
    case 'stopped':
      return `Stopped after ${s.epochsRun} epochs; the checkpoints are kept, so you can resume.${best}`;
    case 'interrupted':
      return `Interrupted after ${s.epochsRun} epochs: ${s.error ?? 'the training process ended'}. Resume continues from the last checkpoint.`;
    default:
      return `Training failed: ${s.error ?? s.stopReason ?? 'unknown error'}`;
  }
}

/** What a run's status reads as in the list. */
export const STATUS_WORDS: Record<string, string> = {
  queued: 'starting',
  running: 'training',
  stopping: 'stopping',
  stopped: 'stopped',
  completed: 'completed',
  failed: 'failed',
  interrupted: 'interrupted',
};

/** What the dashboard says beside the curves: how fast, and how long is left ("about 3 minutes left") or how long it took ("1 min 5 s"). */
export interface SpeedWords {
  rate: string;
  time: string;
}

/** The mean of the epochs' images/s (a finished run's speed); null when none was measured. */
export function averageRate(epochs: readonly { imagesPerSecond: number | null }[]): number | null {
  const rates = epochs.map((e) => e.imagesPerSecond).filter((r): r is number => r !== null && Number.isFinite(r) && r > 0);
  return rates.length === 0 ? null : rates.reduce((a, b) => a + b, 0) / rates.length;
}

/**
 * Images/s and ETA of the active run, from its newest events (the batch or phase in
 * flight first, then the last epoch); for a run that is not training, its average speed
 * and how long it took.
 */
export function speedWords(input: {
  active: boolean;
  work: TrainEvent | null;
  last: TrainEvent | null;
  epochs: readonly { imagesPerSecond: number | null }[];
  seconds: number | null;
}): SpeedWords {
  if (!input.active) {
    const avg = averageRate(input.epochs);
    return {
      rate: avg === null ? '—' : `${formatRate(avg, 'images')} on average`,
      time: input.seconds === null ? '—' : formatDuration(input.seconds),
    };
  }
  const events = [input.work, input.last].filter((e): e is TrainEvent => e !== null);
  let rate: number | null = null;
  for (const e of events) {
    if ((e.type === 'batch' || e.type === 'phase' || e.type === 'epoch') && e.imagesPerSecond) {
      rate = e.imagesPerSecond;
      break;
    }
  }
  let eta: number | null = null;
  for (const e of events) {
    if (e.type === 'batch' || e.type === 'epoch') {
      eta = e.etaSeconds;
      break;
    }
  }
  // Before the first batch (reading images, computing features) the run's end cannot be told yet.
  const preparing = input.work?.type === 'phase' && input.work.phase !== 'training';
  return {
    rate: rate === null ? 'measuring…' : formatRate(rate, 'images'),
    time: preparing && eta === null ? 'estimated once training starts' : formatEta(eta),
  };
}
