// The coach: every rule over a run's history and facts; warnings first, then the
// information, each group in the rules' order (data before curves before settings).
import { classImbalance } from './class-imbalance.js';
import type { CoachRule, EpochPoint, Finding, RunFacts } from './coach-types.js';
import { earlyStopKept } from './early-stop-kept.js';
import { learningRateTooHigh } from './learning-rate-too-high.js';
import { learningRateTooLow } from './learning-rate-too-low.js';
import { overfitting } from './overfitting.js';
import { stillImproving } from './still-improving.js';
import { tooFewImages } from './too-few-images.js';
import { underfitting } from './underfitting.js';

export const COACH_RULES: readonly CoachRule[] = [
  tooFewImages,
  classImbalance,
  learningRateTooHigh,
  learningRateTooLow,
  overfitting,
  underfitting,
  earlyStopKept,
  stillImproving,
];

export function coachRun(history: readonly EpochPoint[], facts: RunFacts): Finding[] {
  const found = COACH_RULES.map((rule) => rule(history, facts)).filter((f): f is Finding => f !== null);
  return [...found.filter((f) => f.severity === 'warning'), ...found.filter((f) => f.severity === 'info')];
}
