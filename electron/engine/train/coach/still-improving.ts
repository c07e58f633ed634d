// The opposite of a peak: validation was still getting better when the epochs ran out,
// so more epochs would probably help.
//
// Fires when the best epoch is the last validated one, training was not stopped early,
// and the validation loss fell by at least IMPROVING = 2% over the last WINDOW = 3
// validations (less is a plateau).
import type { CoachRule } from './coach-types.js';
import { relativeDrop, validatedEpochs } from './series.js';

export const STILL_IMPROVING = { WINDOW: 3, IMPROVING: 0.02 } as const;

export const stillImproving: CoachRule = (history, facts) => {
  const es = facts.earlyStopping;
  const v = validatedEpochs(history);
  if (es.stoppedEarly || v.length < STILL_IMPROVING.WINDOW + 1) return null;
  const last = v[v.length - 1]!;
  if (es.bestEpoch !== last.epoch) return null;
  const before = v[v.length - 1 - STILL_IMPROVING.WINDOW]!;
  if (relativeDrop(before.val, last.val) < STILL_IMPROVING.IMPROVING) return null;
  const epochs = facts.settings?.epochs ?? es.epochsRun;
  return {
    id: 'still-improving',
    severity: 'info',
    title: 'Still improving when training ended',
    detail: `Validation loss was still falling at the last epoch (${(relativeDrop(before.val, last.val) * 100).toFixed(0)}% lower than ${STILL_IMPROVING.WINDOW} validations before). Training longer will probably give a better model; early stopping will end it when it stops improving.`,
    suggestions: [{ text: `Train for more epochs (from ${epochs} to ${epochs * 2}).`, setting: 'epochs', value: epochs * 2 }],
  };
};
