// Class imbalance. Threshold: IMBALANCE_RATIO = 3, the largest training class having
// more than 3 times the images of the smallest. Above that, always answering the big
// class already scores well, so accuracy flatters the model and the small class's
// recall is what suffers (3:1 is where the common "mild imbalance" band of 20–40% for
// the minority ends for two classes). The curation view warns at the same ratio.
import type { CoachRule } from './coach-types.js';

export const IMBALANCE_RATIO = 3;

export const classImbalance: CoachRule = (_history, facts) => {
  const counts = facts.classCounts.filter((c) => c.train > 0);
  if (counts.length < 2) return null;
  const largest = counts.reduce((a, b) => (b.train > a.train ? b : a));
  const smallest = counts.reduce((a, b) => (b.train < a.train ? b : a));
  const ratio = facts.imbalanceRatio ?? largest.train / smallest.train;
  if (!(ratio > IMBALANCE_RATIO)) return null;
  return {
    id: 'class-imbalance',
    severity: 'warning',
    title: 'Some classes have many more images than others',
    detail:
      `${largest.class} has ${largest.train} training images, ${smallest.class} only ${smallest.train} (${ratio.toFixed(1)} to 1). ` +
      `A model can score well by favouring the big classes, so look at each class's recall and the macro F1, not only the accuracy.`,
    suggestions: [
      { text: `Label more images of the small classes (${smallest.class} first).`, setting: null },
      { text: 'Judge runs by per-class recall and macro F1 on the Evaluate screen.', setting: null },
    ],
  };
};
