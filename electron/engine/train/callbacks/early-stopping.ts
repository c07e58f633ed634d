// The early-stopping decision as a pure function of the validation history, with
// Keras's definitions (keras/src/callbacks/early_stopping.py): replaying the history
// gives the same answer after a crash and resume as during the run, and the code
// that acts on it (checkpoints, restoring the best weights) stays separate.
import { z } from 'zod';
import { fromZodError } from '../../../api/errors.js';

export const earlyStopOptionsSchema = z.strictObject({
  monitor: z.enum(['val_loss', 'val_accuracy']),
  /** A change no larger than this is no improvement (Keras `min_delta`). */
  minDelta: z.number().min(0),
  /** Validations without improvement before stopping (Keras `patience`). */
  patience: z.number().int().min(0),
  /** Entries with an epoch below this are not judged (Keras `start_from_epoch`). */
  startFromEpoch: z.number().int().min(0),
  /** If given, the wait only restarts on values that also beat this (Keras `baseline`). */
  baseline: z.number().optional(),
});

export type EarlyStopOptions = z.infer<typeof earlyStopOptionsSchema>;

export interface MetricPoint {
  epoch: number;
  value: number;
}

export interface EarlyStopDecision {
  /** The epoch of the best counted value, or null before any value was counted. */
  bestEpoch: number | null;
  bestValue: number | null;
  /** Counted validations since the wait last restarted (Keras `wait`). */
  wait: number;
  /** Stop now: the last entry did not improve and the wait reached the patience. */
  stop: boolean;
  /** The last entry's epoch if it improved on the best, otherwise null. */
  improvedAt: number | null;
}

/** Loss is minimised, accuracy maximised (Keras's "auto" mode for these two). */
export function monitorMode(monitor: EarlyStopOptions['monitor']): 'min' | 'max' {
  return monitor === 'val_loss' ? 'min' : 'max';
}

/**
 * Replays Keras's EarlyStopping.on_epoch_end over `history` (oldest first, epochs
 * strictly increasing; entries are validations, so with "validate every N epochs"
 * the patience counts validations, as in Keras where epochs without the metric are
 * skipped). A NaN value never improves. Throws on invalid options or history.
 */
export function decideEarlyStop(history: readonly MetricPoint[], opts: EarlyStopOptions): EarlyStopDecision {
  const parsed = earlyStopOptionsSchema.safeParse(opts);
  if (!parsed.success) throw fromZodError(parsed.error, 'early stopping');
  const { minDelta, patience, startFromEpoch, baseline } = parsed.data;
  const mode = monitorMode(parsed.data.monitor);
  // Keras: monitor_op(current - min_delta, reference) with min_delta negated in min mode.
  const beats = (value: number, reference: number): boolean =>
    mode === 'min' ? value + minDelta < reference : value - minDelta > reference;

  let best = mode === 'min' ? Infinity : -Infinity;
  let bestEpoch: number | null = null;
  let wait = 0;
  let stop = false;
  let improvedAt: number | null = null;
  let previousEpoch = -Infinity;
  for (const { epoch, value } of history) {
    if (!(epoch > previousEpoch)) {
      throw new Error(`early stopping: epochs must increase, but ${epoch} follows ${previousEpoch}`);
    }
    previousEpoch = epoch;
    stop = false;
    improvedAt = null;
    if (epoch < startFromEpoch) continue;
    wait += 1;
    if (beats(value, best)) {
      best = value;
      bestEpoch = epoch;
      improvedAt = epoch;
      // Keras restarts the wait only when the value beats both the best and the baseline.
      if (baseline === undefined || beats(value, baseline)) wait = 0;
      continue;
    }
    // Keras also requires epoch > 0, so a first non-improving epoch 0 never stops.
    stop = wait >= patience && epoch > 0;
  }
  return { bestEpoch, bestValue: bestEpoch === null ? null : best, wait, stop, improvedAt };
}
