// The shapes of "Look at your data", labeling, undo/redo and the quiz. Kept apart from
// schemas.ts (the project, import and grid shapes) so neither file grows past what a
// reader takes in at once. Imports only zod and the shared shapes.
import { z } from 'zod';
import { Id, ImageFilter, ImageTile } from './schemas.js';

/** Which images a view looks at: by class (null = unlabeled) and status. Absent = all. */
export const CurationFilter = ImageFilter;

/** A seed for the random sample and the quiz: shown to the user, so a sample can be drawn again. */
export const Seed = z.number().int().min(0).max(0xffffffff);

export const ClassName = z
  .string()
  .trim()
  .min(1, 'a class name cannot be empty')
  .max(100, 'a class name is at most 100 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'a class name cannot contain control characters');

export const SampleResult = z.object({
  seed: Seed,
  /** How many images the filter lets through: the sample never exceeds it. */
  total: z.number().int(),
  offset: z.number().int(),
  items: z.array(ImageTile),
});

export const ExtremeMeasure = z.enum(['bytes', 'pixels', 'aspect']);
/** For 'aspect', value is width / height: smallest = the tallest images, largest = the widest. */
export const ValuedTile = ImageTile.extend({ value: z.number() });

export const HistogramClass = z.object({
  id: Id,
  name: z.string(),
  /** Images of this class that take part in training (status ok). */
  count: z.number().int(),
  /** Images of this class marked "exclude from training". */
  excluded: z.number().int(),
  /** count / all labeled ok images; 0 when there are none. */
  share: z.number(),
  rare: z.boolean(),
});
export const Histogram = z.object({
  /** Largest first; ties by name. */
  classes: z.array(HistogramClass),
  unlabeled: z.number().int(),
  excluded: z.number().int(),
  total: z.number().int(),
  /** Largest / smallest class among classes with at least one image; null with fewer than two such classes. */
  imbalanceRatio: z.number().nullable(),
  largestClassId: Id.nullable(),
  smallestClassId: Id.nullable(),
  /** The definition of "rare", in words, for the screen's legend. */
  rareRule: z.string(),
  /** Plain-language warning (imbalance, empty or rare classes); null when there is nothing to say. */
  warning: z.string().nullable(),
});

export const DuplicateCluster = z.object({
  /** The content hash the copies share. */
  sha256: z.string(),
  /** The copy to keep if the user accepts the suggestion (largest picture, then file, then oldest). */
  suggestedKeepId: Id,
  images: z.array(ImageTile),
});
export const ClusterPage = <T extends z.ZodType>(cluster: T) =>
  z.object({
    totalClusters: z.number().int(),
    /** Images in all clusters together (not only this page). */
    totalImages: z.number().int(),
    offset: z.number().int(),
    clusters: z.array(cluster),
  });

export const NearTile = ImageTile.extend({
  /** Bits between this image's perceptual hash and the suggested keeper's (0–64). */
  distance: z.number().int(),
});
export const NearDuplicateCluster = z.object({
  suggestedKeepId: Id,
  images: z.array(NearTile),
});

export const BadFile = z.object({
  importId: Id,
  path: z.string(),
  reason: z.string(),
});

export const HistoryEntry = z.object({
  id: Id,
  kind: z.string(),
  summary: z.string(),
  createdAt: z.string(),
  undone: z.boolean(),
  imageCount: z.number().int(),
});
export const HistoryState = z.object({
  canUndo: z.boolean(),
  canRedo: z.boolean(),
  /** What undo would revert and redo would re-apply, for the buttons' tooltips. */
  undoSummary: z.string().nullable(),
  redoSummary: z.string().nullable(),
});

export const LabelResult = z.object({
  /** The history entry this change made; null when nothing changed (nothing to undo). */
  actionId: Id.nullable(),
  changed: z.number().int(),
  unchanged: z.number().int(),
  history: HistoryState,
});

export const ClassResult = z.object({
  class: z.object({ id: Id, name: z.string(), count: z.number().int() }).nullable(),
  actionId: Id.nullable(),
  /** Images that moved to another class (or to unlabeled). */
  movedImages: z.number().int(),
  history: HistoryState,
});

export const UndoResult = z.object({
  /** The action undone or redone; null when there was none. */
  entry: HistoryEntry.nullable(),
  history: HistoryState,
});

export const QuizItem = z.object({
  position: z.number().int(),
  imageId: Id,
  sha256: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** The answer given so far: a class id, 'not_sure', or null. Never the true label. */
  answer: z.union([Id, z.literal('not_sure')]).nullable(),
});
export const QuizChoice = z.object({ id: Id, name: z.string() });
export const QuizSession = z.object({
  id: Id,
  seed: Seed,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  items: z.array(QuizItem),
  choices: z.array(QuizChoice),
});

export const QuizClassScore = z.object({
  classId: Id,
  name: z.string(),
  total: z.number().int(),
  correct: z.number().int(),
  accuracy: z.number().nullable(),
});
export const QuizScore = z.object({
  sessionId: Id,
  total: z.number().int(),
  answered: z.number().int(),
  correct: z.number().int(),
  notSure: z.number().int(),
  /** correct / answered, where "not sure" counts as a miss; null before any answer. */
  accuracy: z.number().nullable(),
  finished: z.boolean(),
  perClass: z.array(QuizClassScore),
  /** The user's mistakes, most frequent first; answerClassId null = "not sure". */
  confusions: z.array(
    z.object({
      trueClassId: Id,
      trueName: z.string(),
      answerClassId: Id.nullable(),
      answerName: z.string(),
      count: z.number().int(),
    }),
  ),
  missed: z.array(
    z.object({
      position: z.number().int(),
      imageId: Id,
      trueClassId: Id,
      trueName: z.string(),
      answerClassId: Id.nullable(),
      answerName: z.string(),
    }),
  ),
});
export const QuizSummary = z.object({
  id: Id,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  total: z.number().int(),
  answered: z.number().int(),
  correct: z.number().int(),
  accuracy: z.number().nullable(),
});
