// Overfitting: the model learns the training images themselves. Seen as the training
// loss well below the validation loss while the validation loss climbs back from its
// lowest point.
//
// Thresholds:
// - RISING_VALIDATIONS = 3 validations after the lowest validation loss, as Keras's
//   default patience region: one or two higher values are noise on a small validation set.
// - RISE = 10%: the last validation loss is at least 10% above the lowest. Validation
//   losses of a healthy plateau wander by a few per cent, not by ten.
// - GAP_RATIO = 1.5 and GAP_MIN = 0.1: the validation loss is at least 1.5 times the
//   training loss and at least 0.1 above it (so 0.01 against 0.02 is not called a gap).
import type { CoachRule } from './coach-types.js';
import { moreData, moreDropout, moreWeightDecay, strongerAugmentation, transferLearning } from './suggestions.js';
import { argMin, formatLoss, validatedEpochs } from './series.js';

export const OVERFITTING = { RISING_VALIDATIONS: 3, RISE: 0.1, GAP_RATIO: 1.5, GAP_MIN: 0.1 } as const;

export const overfitting: CoachRule = (history, facts) => {
  const v = validatedEpochs(history);
  if (v.length < OVERFITTING.RISING_VALIDATIONS + 1) return null;
  const m = argMin(v.map((p) => p.val));
  const best = v[m]!;
  const last = v[v.length - 1]!;
  const after = v.length - 1 - m;
  const rising = after >= OVERFITTING.RISING_VALIDATIONS && last.val >= best.val * (1 + OVERFITTING.RISE);
  const gap = last.val >= OVERFITTING.GAP_RATIO * last.train && last.val - last.train >= OVERFITTING.GAP_MIN;
  if (!rising || !gap) return null;
  const kept = facts.earlyStopping.bestEpoch === best.epoch ? ` The saved model is the one from epoch ${best.epoch}, before it got worse.` : '';
  return {
    id: 'overfitting',
    severity: 'warning',
    title: 'The model is memorising the training images',
    detail:
      `Training loss fell to ${formatLoss(last.train)}, but validation loss rose from its lowest, ${formatLoss(best.val)} at epoch ${best.epoch}, ` +
      `to ${formatLoss(last.val)} at epoch ${last.epoch}. The model is learning the training images themselves rather than what tells the classes apart, ` +
      `so it does worse on images it has not seen.${kept}`,
    suggestions: [
      moreData,
      strongerAugmentation(facts),
      moreDropout(facts),
      moreWeightDecay(facts),
      transferLearning(facts, 'a smaller model to fit has less room to memorise.'),
      facts.earlyStopping.enabled ? null : { text: 'Turn early stopping on, so the best epoch is kept and training ends when validation stops improving.', setting: 'earlyStopping.enabled' as const, value: true },
    ].filter((s) => s !== null),
  };
};
