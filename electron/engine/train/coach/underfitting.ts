// Underfitting: the model cannot even fit the training images. Seen as both losses
// still high and no longer falling, after an initial drop (a loss that never moved is
// learning-rate-too-low's case).
//
// Thresholds, relative to ln k, the loss of guessing uniformly among k classes:
// - HIGH = 0.5: both the last training and validation losses are above half of ln k
//   (for 3 classes 0.55, about 58% confidence in the right class on average).
// - FLAT_EPOCHS = 3, FLAT = 3%: the training loss changed by less than 3% over the last
//   3 epochs.
// - LEARNED = 10%: it fell at least 10% from the first epoch.
import type { CoachRule } from './coach-types.js';
import { chanceLoss, formatLoss, relativeDrop, trainLosses, validatedEpochs } from './series.js';

export const UNDERFITTING = { HIGH: 0.5, FLAT_EPOCHS: 3, FLAT: 0.03, LEARNED: 0.1 } as const;

export const underfitting: CoachRule = (history, facts) => {
  if (facts.classCounts.length < 2) return null;
  const t = trainLosses(history);
  if (t.length < UNDERFITTING.FLAT_EPOCHS + 1) return null;
  const high = UNDERFITTING.HIGH * chanceLoss(facts.classCounts.length);
  const first = t[0]!.value;
  const last = t[t.length - 1]!.value;
  const before = t[t.length - 1 - UNDERFITTING.FLAT_EPOCHS]!.value;
  const val = validatedEpochs(history).at(-1)?.val ?? null;
  if (last < high || (val !== null && val < high)) return null;
  if (Math.abs(relativeDrop(before, last)) >= UNDERFITTING.FLAT) return null;
  if (relativeDrop(first, last) < UNDERFITTING.LEARNED) return null;

  const s = facts.settings ?? {};
  const kind = facts.modelKind;
  const bigger =
    kind === 'frozen-head'
      ? { text: 'Fine-tune the top blocks of the backbone, so the features themselves adapt to your images.', setting: 'modelKind' as const, value: 'fine-tune' }
      : kind === 'small-cnn' || kind === 'small-vit'
        ? { text: 'Use transfer learning: a pretrained backbone already knows edges, shapes and textures.', setting: 'modelKind' as const, value: 'frozen-head' }
        : null;
  return {
    id: 'underfitting',
    severity: 'warning',
    title: 'The model is not learning enough',
    detail:
      `Training loss is ${formatLoss(last)} and validation loss ${val === null ? 'unknown' : formatLoss(val)}, both high (guessing would give ${formatLoss(chanceLoss(facts.classCounts.length))}), ` +
      `and the training loss has stopped falling over the last ${UNDERFITTING.FLAT_EPOCHS} epochs. The model cannot even fit the images it trains on.`,
    suggestions: [
      bigger,
      s.dropout !== undefined && s.dropout > 0
        ? { text: `Lower dropout from ${s.dropout} to ${Number(Math.max(0, s.dropout - 0.2).toFixed(2))}.`, setting: 'dropout' as const, value: Number(Math.max(0, s.dropout - 0.2).toFixed(2)) }
        : null,
      s.weightDecay !== undefined && s.weightDecay > 0
        ? { text: `Lower weight decay from ${s.weightDecay} to ${Number((s.weightDecay / 10).toPrecision(2))}.`, setting: 'weightDecay' as const, value: Number((s.weightDecay / 10).toPrecision(2)) }
        : null,
      s.augmentation === 'none' ? null : { text: 'Make augmentation milder: very strong changes can hide what tells the classes apart.', setting: 'augmentation' as const },
      { text: 'Check the labels: take the "Try it yourself" quiz. If people cannot tell the classes apart, neither can a model.', setting: null },
    ].filter((x) => x !== null),
  };
};
