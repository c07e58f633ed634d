// The suggestions the rules share, worded once. Each names the setting that applies it
// and, when the run's own value is known, proposes a new one.
import type { RunFacts, Suggestion } from './coach-types.js';

const round = (x: number, digits: number) => Number(x.toPrecision(digits));

export const moreData: Suggestion = { text: 'Label more images: more variety is the surest cure.', setting: null };

export function strongerAugmentation(facts: RunFacts): Suggestion {
  return facts.settings?.augmentation === 'none'
    ? { text: 'Turn augmentation on, so the model never sees exactly the same image twice.', setting: 'augmentation', value: 'default' }
    : { text: 'Make augmentation stronger (more rotation, crop, colour change).', setting: 'augmentation' };
}

export function moreDropout(facts: RunFacts): Suggestion {
  const now = facts.settings?.dropout;
  return now === undefined
    ? { text: 'Raise dropout (0.3–0.5), which forces the model not to rely on a few details.', setting: 'dropout' }
    : { text: `Raise dropout from ${now} to ${round(Math.min(0.6, now + 0.2), 2)}.`, setting: 'dropout', value: round(Math.min(0.6, now + 0.2), 2) };
}

export function moreWeightDecay(facts: RunFacts): Suggestion {
  const now = facts.settings?.weightDecay;
  const next = now === undefined || now === 0 ? 0.05 : round(Math.min(0.2, now * 5), 2);
  return { text: `Raise weight decay${now === undefined ? '' : ` from ${now}`} to ${next}, which keeps the weights small and the model simpler.`, setting: 'weightDecay', value: next };
}

/** Fewer weights to fit: a frozen pretrained backbone with a small head. Null when the run used one. */
export function transferLearning(facts: RunFacts, why: string): Suggestion | null {
  if (facts.modelKind === 'frozen-head') return null;
  return { text: `Use transfer learning from the pretrained backbone (frozen features and a small head): ${why}`, setting: 'modelKind', value: 'frozen-head' };
}

export function learningRateTimes(facts: RunFacts, lastRate: number | null, factor: number, text: string): Suggestion {
  const now = facts.settings?.learningRate ?? lastRate ?? undefined;
  if (now === undefined) return { text, setting: 'learningRate' };
  const next = round(Math.min(10, now * factor), 2);
  return { text: `${text} (from ${now} to ${next}).`, setting: 'learningRate', value: next };
}

export const ensemble: Suggestion = { text: 'Train an ensemble: several models from different seeds, averaged, make steadier predictions.', setting: null };
