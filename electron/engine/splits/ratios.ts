// The ratios rule: three shares in percent, each 0–100, adding up to 100, and some share
// for training (a model cannot learn from nothing). Fractions are allowed (85/7.5/7.5).
import { ApiError } from '../../api/errors.js';
import { SPLITS, type Ratios } from './types.js';

/** Sums of decimal fractions like 33.3 + 33.3 + 33.4 are not exactly 100 in binary. */
const TOLERANCE = 1e-6;

export function checkRatios(ratios: Ratios): void {
  for (const s of SPLITS) {
    const v = ratios[s];
    if (!Number.isFinite(v) || v < 0 || v > 100) {
      throw new ApiError('invalid_request', `the ${s} share must be a number from 0 to 100, not ${String(v)}`, `ratios.${s}`);
    }
  }
  const sum = ratios.train + ratios.validation + ratios.test;
  if (Math.abs(sum - 100) > TOLERANCE) {
    throw new ApiError(
      'invalid_request',
      `the train, validation and test shares must add up to 100; they add up to ${round(sum, 4)}`,
      'ratios',
    );
  }
  if (ratios.train <= 0) {
    throw new ApiError('invalid_request', 'the train share must be above 0: the model needs images to learn from', 'ratios.train');
  }
}

export function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
