// Learning rate too low: the loss barely moves from the start and stays near what
// guessing gives, so the model learns (if at all) far too slowly.
//
// Thresholds: with at least MIN_EPOCHS = 3 epochs, every training loss lies within
// FLAT_BAND = ±5% of the first epoch's, and the last is at least NEAR_CHANCE = 0.8 of
// ln k (the loss of guessing among k classes). A model that starts low (transfer
// learning often does) is not "stuck", hence the second condition; a loss that fell
// 5–10% is neither stuck nor clearly learning, and is left alone.
import type { CoachRule } from './coach-types.js';
import { learningRateTimes } from './suggestions.js';
import { chanceLoss, formatLoss, trainLosses } from './series.js';

export const LEARNING_RATE_TOO_LOW = { MIN_EPOCHS: 3, FLAT_BAND: 0.05, NEAR_CHANCE: 0.8 } as const;

export const learningRateTooLow: CoachRule = (history, facts) => {
  if (facts.classCounts.length < 2 || facts.diverged) return null;
  const t = trainLosses(history);
  if (t.length < LEARNING_RATE_TOO_LOW.MIN_EPOCHS || t.length !== history.length) return null;
  const first = t[0]!.value;
  const flat = t.every((p) => Math.abs(p.value - first) <= LEARNING_RATE_TOO_LOW.FLAT_BAND * first);
  const last = t[t.length - 1]!.value;
  const chance = chanceLoss(facts.classCounts.length);
  if (!flat || last < LEARNING_RATE_TOO_LOW.NEAR_CHANCE * chance) return null;
  const lastRate = [...history].reverse().find((h) => h.learningRate !== null)?.learningRate ?? null;
  return {
    id: 'learning-rate-too-low',
    severity: 'warning',
    title: 'The model is barely learning: the learning rate may be too low',
    detail: `Over ${t.length} epochs the training loss stayed near ${formatLoss(first)} (guessing gives ${formatLoss(chance)}). Each step changes the weights too little to get anywhere.`,
    suggestions: [
      learningRateTimes(facts, lastRate, 3, 'Raise the learning rate threefold'),
      { text: 'Check that the labels match the images: if nothing can be learned, no learning rate helps.', setting: null },
    ],
  };
};
