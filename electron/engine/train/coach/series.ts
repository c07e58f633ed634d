// Small helpers over a metric history shared by the coach's rules.
import type { EpochPoint } from './coach-types.js';

export interface Point {
  epoch: number;
  value: number;
}

/** Epochs with a finite training loss, oldest first. */
export function trainLosses(history: readonly EpochPoint[]): Point[] {
  return history.filter((h) => h.trainLoss !== null && Number.isFinite(h.trainLoss)).map((h) => ({ epoch: h.epoch, value: h.trainLoss! }));
}

/** Validated epochs with both losses finite, oldest first. */
export function validatedEpochs(history: readonly EpochPoint[]): { epoch: number; train: number; val: number }[] {
  return history
    .filter((h) => h.valLoss !== null && Number.isFinite(h.valLoss) && h.trainLoss !== null && Number.isFinite(h.trainLoss))
    .map((h) => ({ epoch: h.epoch, train: h.trainLoss!, val: h.valLoss! }));
}

/** Index of the smallest value (the first one on a tie). */
export function argMin(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! < values[best]!) best = i;
  return best;
}

/** Cross-entropy of guessing uniformly among k classes: ln k. A loss near it means nothing was learned. */
export function chanceLoss(numClasses: number): number {
  return Math.log(Math.max(2, numClasses));
}

/** (from − to) / from: how much of the loss went, as a fraction. */
export function relativeDrop(from: number, to: number): number {
  return from === 0 ? 0 : (from - to) / from;
}

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
export { fmt as formatLoss };
