// The contract's methods for "Look at your data", labeling, undo/redo and the quiz.
// Spread into `methods` in contract.ts, so they are validated and bridged like all others.
import { z } from 'zod';
import { MAX_HASH_DISTANCE } from './limits.js';
import {
  BadFile,
  ClassName,
  ClassResult,
  ClusterPage,
  CurationFilter,
  DuplicateCluster,
  ExtremeMeasure,
  Histogram,
  HistoryEntry,
  HistoryState,
  LabelResult,
  NearDuplicateCluster,
  QuizScore,
  QuizSession,
  QuizSummary,
  SampleResult,
  Seed,
  UndoResult,
  ValuedTile,
} from './curation-schemas.js';
import { Id, ImageFilter, ImageTile, PathString } from './schemas.js';

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

const Empty = z.object({}).strict();
/** One action may touch every image of a large project. */
const ImageIds = z.array(Id).min(1, 'select at least one image').max(200_000);
const Page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(50) };

export const curationMethods = {
  /** A random sample. Without a seed a new one is drawn ("shuffle again"); the same seed gives the same sample. */
  'curation.sample': method(
    z
      .object({
        seed: Seed.optional(),
        filter: CurationFilter.default({}),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(60),
      })
      .strict(),
    SampleResult,
  ),
  /** Smallest or largest by file size, by pixels (width × height), or by aspect ratio (width / height). */
  'curation.extremes': method(
    z
      .object({
        measure: ExtremeMeasure,
        end: z.enum(['smallest', 'largest']),
        filter: CurationFilter.default({}),
        limit: z.number().int().min(1).max(500).default(20),
      })
      .strict(),
    z.object({ items: z.array(ValuedTile) }),
  ),
  'curation.histogram': method(Empty, Histogram),
  /** Groups of images with the same bytes, largest groups first. */
  'curation.exactDuplicates': method(
    z.object({ filter: CurationFilter.default({}), ...Page }).strict(),
    ClusterPage(DuplicateCluster),
  ),
  /** Groups of images whose perceptual hashes differ in at most `threshold` of 64 bits. */
  'curation.nearDuplicates': method(
    z
      .object({ threshold: z.number().int().min(0).max(MAX_HASH_DISTANCE).default(6), filter: CurationFilter.default({}), ...Page })
      .strict(),
    ClusterPage(NearDuplicateCluster).extend({ threshold: z.number().int() }),
  ),
  /**
   * Copies of the same content (same bytes) that carry different labels; excluded copies do not count,
   * nor test images unless `includeTest` (the lockbox).
   */
  'curation.conflicts': method(z.object({ includeTest: z.boolean().default(false), ...Page }).strict(), ClusterPage(DuplicateCluster)),
  /** Files the imports could not take, with the reason; files imported since are left out. */
  'curation.badFiles': method(
    z.object({ ...Page }).strict(),
    z.object({ total: z.number().int(), offset: z.number().int(), items: z.array(BadFile) }),
  ),
  /**
   * The ids at grid positions [offset, offset + limit) under `filter`, in the grid's order
   * (images.page's): a shift-click or drag range that covers tiles not loaded yet.
   */
  'images.idsInRange': method(
    z
      .object({
        filter: ImageFilter.default({}),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(200_000, 'a range is at most 200000 images'),
      })
      .strict(),
    z.object({ offset: z.number().int(), ids: z.array(Id) }),
  ),
  /**
   * How many images the filter matches that sit in the current split's test set: the ones a
   * view hides (the lockbox) unless asked, for the "Show test images (N hidden)" toggle.
   */
  'images.hiddenTest': method(z.object({ filter: ImageFilter.default({}) }).strict(), z.object({ hidden: z.number().int() })),

  /** "Keep one": excludes the others of a duplicate group from training (no file is deleted). */
  'curation.keepOne': method(
    z.object({ keepId: Id, otherIds: ImageIds, kind: z.enum(['exact', 'near']) }).strict(),
    LabelResult,
  ),

  /** Gives every listed image this class (null = unlabeled), as one undoable action. */
  'labels.assign': method(z.object({ imageIds: ImageIds, classId: Id.nullable() }).strict(), LabelResult),
  'labels.exclude': method(
    z
      .object({
        imageIds: ImageIds,
        reason: z.string().trim().min(1, 'say why the images are excluded').max(500),
      })
      .strict(),
    LabelResult,
  ),
  'labels.include': method(z.object({ imageIds: ImageIds }).strict(), LabelResult),
  /** The next unlabeled, non-excluded image after `afterId` (wrapping to the first). */
  'labels.nextUnlabeled': method(
    z.object({ afterId: Id.optional() }).strict(),
    z.object({ image: ImageTile.nullable(), remaining: z.number().int(), wrapped: z.boolean() }),
  ),
  'labels.undo': method(Empty, UndoResult),
  'labels.redo': method(Empty, UndoResult),
  'labels.history': method(
    z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    HistoryState.extend({ entries: z.array(HistoryEntry) }),
  ),
  /**
   * Writes path,label,group,split (plus status with includeExcluded) to a new .csv file;
   * default: <project>/exports/labels-<time>.csv. An existing file is replaced only with overwrite.
   */
  'labels.exportCsv': method(
    z
      .object({
        path: PathString.optional(),
        includeExcluded: z.boolean().default(false),
        overwrite: z.boolean().default(false),
      })
      .strict(),
    z.object({ path: z.string(), rows: z.number().int() }),
  ),

  'classes.create': method(z.object({ name: ClassName }).strict(), ClassResult),
  'classes.rename': method(z.object({ id: Id, name: ClassName }).strict(), ClassResult),
  /** Moves every image of `fromId` into `intoId` and removes `fromId`. */
  'classes.merge': method(z.object({ fromId: Id, intoId: Id }).strict(), ClassResult),
  /** Removes a class; its images go to `moveImagesTo` (another class, or null = unlabeled). */
  'classes.delete': method(z.object({ id: Id, moveImagesTo: Id.nullable() }).strict(), ClassResult),

  'quiz.start': method(
    z.object({ size: z.number().int().min(1).max(500).default(30), seed: Seed.optional() }).strict(),
    QuizSession,
  ),
  'quiz.get': method(z.object({ sessionId: Id }).strict(), QuizSession),
  'quiz.answer': method(
    z
      .object({
        sessionId: Id,
        position: z.number().int().min(0),
        answer: z.union([Id, z.literal('not_sure')]),
      })
      .strict(),
    z.object({ answered: z.number().int(), total: z.number().int(), finished: z.boolean() }),
  ),
  'quiz.result': method(z.object({ sessionId: Id }).strict(), QuizScore),
  'quiz.list': method(Empty, z.object({ sessions: z.array(QuizSummary) })),
} as const;
