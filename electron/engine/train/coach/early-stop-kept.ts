// Validation peaked before the end, and the model of record is the peak's: early
// stopping doing its job (or, with it off, the best checkpoint). Worth saying in plain
// words, because the last epoch's curves are not the model the user gets.
//
// Fires when the run stopped early, or when the best epoch lies at least
// PEAK_VALIDATIONS = 2 validations before the last one and the last validation loss is
// at least PEAK_MARGIN = 2% worse than the best (smaller differences are a plateau,
// not a peak).
// Peaking within EARLY_PEAK = 2 epochs suggests the learning rate is too high for the
// model to learn gradually.
import type { CoachRule, Suggestion } from './coach-types.js';
import { ensemble, learningRateTimes, moreDropout, strongerAugmentation } from './suggestions.js';
import { validatedEpochs } from './series.js';

export const EARLY_STOP_KEPT = { PEAK_VALIDATIONS: 2, PEAK_MARGIN: 0.02, EARLY_PEAK: 2 } as const;

export const earlyStopKept: CoachRule = (history, facts) => {
  const es = facts.earlyStopping;
  if (es.bestEpoch === null) return null;
  const v = validatedEpochs(history);
  const bestIndex = v.findIndex((p) => p.epoch === es.bestEpoch);
  const last = v.at(-1);
  const peaked =
    bestIndex >= 0 &&
    last !== undefined &&
    v.length - 1 - bestIndex >= EARLY_STOP_KEPT.PEAK_VALIDATIONS &&
    last.val >= v[bestIndex]!.val * (1 + EARLY_STOP_KEPT.PEAK_MARGIN);
  if (!es.stoppedEarly && !peaked) return null;

  const lastRate = history.at(-1)?.learningRate ?? null;
  const suggestions: Suggestion[] = [];
  if (es.bestEpoch <= EARLY_STOP_KEPT.EARLY_PEAK) {
    suggestions.push(learningRateTimes(facts, lastRate, 1 / 3, 'It peaked almost at once: a lower learning rate lets it learn more gradually'));
  }
  suggestions.push(strongerAugmentation(facts), moreDropout(facts), ensemble);
  if (!es.enabled) suggestions.push({ text: 'Turn early stopping on, so training ends soon after the peak instead of running every epoch.', setting: 'earlyStopping.enabled', value: true });
  const why = es.stoppedEarly
    ? `Training stopped after epoch ${es.epochsRun} because validation had not improved${es.patience === undefined ? '' : ` for ${es.patience} validations`}.`
    : `Validation got worse after epoch ${es.bestEpoch} until the end (epoch ${es.epochsRun}).`;
  return {
    id: 'early-stop-kept',
    severity: 'info',
    title: `Validation peaked at epoch ${es.bestEpoch}; that model was kept`,
    detail: `${why} The model you get is the one from epoch ${es.bestEpoch}, the best on the validation images; later epochs only fitted the training images more closely. To push the peak later and higher, make the model's task harder to memorise.`,
    suggestions,
  };
};
