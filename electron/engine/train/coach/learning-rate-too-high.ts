// Learning rate too high: the steps overshoot, so the training loss blows up (not a
// number), climbs back up, or jumps up and down instead of falling.
//
// Thresholds on the training loss (the validation loss rising alone is overfitting):
// - diverged: the run ended on a loss that was not a number, or an epoch recorded none;
// - RISE = 20%: with at least MIN_EPOCHS = 3 epochs, the last loss is 20% above the lowest
//   so far (a healthy training loss, even with augmentation, stays near its minimum);
// - JUMP = 15%, JUMPS = 2, WINDOW = 6: within the last 6 epochs, at least 2 epochs
//   where the loss went up by 15% or more over the one before;
// - MIN_CHANGE = 0.05: a rise or a jump counts only if the loss also grew by at least
//   0.05 (nats of cross-entropy). Near zero, 0.0003 → 0.0006 doubles the loss but is
//   noise of a model that already fits its training images, not an overshoot.
import type { CoachRule } from './coach-types.js';
import { learningRateTimes } from './suggestions.js';
import { formatLoss, trainLosses } from './series.js';

export const LEARNING_RATE_TOO_HIGH = { MIN_EPOCHS: 3, RISE: 0.2, JUMP: 0.15, JUMPS: 2, WINDOW: 6, MIN_CHANGE: 0.05 } as const;

export const learningRateTooHigh: CoachRule = (history, facts) => {
  const t = trainLosses(history);
  const diverged = facts.diverged === true || history.some((h) => h.trainLoss === null || !Number.isFinite(h.trainLoss));
  let what: string | null = null;
  if (diverged) {
    what = 'The training loss stopped being a number: the model blew up.';
  } else if (t.length >= LEARNING_RATE_TOO_HIGH.MIN_EPOCHS) {
    const values = t.map((p) => p.value);
    const min = Math.min(...values);
    const last = values[values.length - 1]!;
    const recent = values.slice(-LEARNING_RATE_TOO_HIGH.WINDOW);
    const grew = (from: number, to: number, share: number) => to >= from * (1 + share) && to - from >= LEARNING_RATE_TOO_HIGH.MIN_CHANGE;
    const jumps = recent.slice(1).filter((v, i) => grew(recent[i]!, v, LEARNING_RATE_TOO_HIGH.JUMP)).length;
    if (grew(min, last, LEARNING_RATE_TOO_HIGH.RISE)) {
      what = `The training loss went back up, from ${formatLoss(min)} to ${formatLoss(last)}: the steps overshoot.`;
    } else if (jumps >= LEARNING_RATE_TOO_HIGH.JUMPS) {
      what = `The training loss jumps up and down (${jumps} sharp rises in the last ${recent.length} epochs) instead of falling steadily.`;
    }
  }
  if (what === null) return null;
  const lastRate = [...history].reverse().find((h) => h.learningRate !== null)?.learningRate ?? null;
  return {
    id: 'learning-rate-too-high',
    severity: 'warning',
    title: 'The learning rate looks too high',
    detail: `${what} Each step changes the weights too much, overshooting the better values instead of settling into them.`,
    suggestions: [learningRateTimes(facts, lastRate, 1 / 3, 'Lower the learning rate to a third')],
  };
};
