// Too few images per class. Threshold: MIN_TRAIN_PER_CLASS = 20 training images.
// Why 20: with the default 70/15/15 split, 20 training images go with about 4 validation
// images, so each validation mistake moves that class's recall by about 25 points and
// no comparison between runs can be trusted; and a model trained from scratch has far
// too few examples to learn a class from. With transfer learning and augmentation, a
// few dozen per class can already work; below 20 even that is a gamble.
import type { CoachRule, Suggestion } from './coach-types.js';
import { strongerAugmentation, transferLearning } from './suggestions.js';

export const MIN_TRAIN_PER_CLASS = 20;

export const tooFewImages: CoachRule = (_history, facts) => {
  const few = facts.classCounts.filter((c) => c.train < MIN_TRAIN_PER_CLASS);
  if (few.length === 0) return null;
  const list = few.map((c) => `${c.class} (${c.train})`).join(', ');
  const suggestions: Suggestion[] = [
    { text: `Label more images of ${few.map((c) => c.class).join(', ')}: at least ${MIN_TRAIN_PER_CLASS} for training each, 100 or more is much better.`, setting: null },
  ];
  const transfer = facts.modelKind === 'fine-tune' ? null : transferLearning(facts, 'it needs far fewer examples per class.');
  if (transfer) suggestions.push(transfer);
  if (facts.settings?.augmentation === 'none') suggestions.push(strongerAugmentation(facts));
  return {
    id: 'too-few-images',
    severity: 'warning',
    title: few.length === 1 ? `Too few images of ${few[0]!.class}` : 'Too few images in some classes',
    detail: `Fewer than ${MIN_TRAIN_PER_CLASS} training images: ${list}. With so few, the model cannot learn what the class looks like in general, and its validation result rests on a handful of images, so a single mistake swings it.`,
    suggestions,
  };
};
