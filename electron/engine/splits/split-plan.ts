// A new split from scratch: group the images, balance the groups into the splits by
// class, count the result. Pure: the same images, ratios, grouping and seed always give
// the same split.
import { ApiError } from '../../api/errors.js';
import { balanceGroups, SPLIT_COUNT } from './balance.js';
import { buildGrouping, type Grouping } from './grouping.js';
import { checkRatios } from './ratios.js';
import { splitStats, type SplitStats } from './stats.js';
import { SPLITS, type ClassRef, type GroupSource, type Ratios, type SplitImage } from './types.js';

export interface PlanOptions {
  ratios: Ratios;
  seed: number;
  grouping: readonly GroupSource[];
  /** Every class of the project, in display order. */
  classes: readonly ClassRef[];
}

export interface SplitPlan {
  images: readonly SplitImage[];
  /** Split index (0 train, 1 validation, 2 test) of each image; 255 = not assigned. */
  splitOf: Uint8Array;
  grouping: Grouping;
  /** Class index of each image, into `classIds`. */
  classOf: Int32Array;
  classIds: number[];
  /** Target count of class index c in split s at [c * 3 + s]. */
  targets: Float64Array;
  stats: SplitStats;
}

export const UNASSIGNED = 255;

/** Class indexes of the images, in the order the classes are listed. */
export function indexClasses(images: readonly SplitImage[], classes: readonly ClassRef[]): { classOf: Int32Array; classIds: number[] } {
  const present = new Set(images.map((img) => img.classId));
  const classIds = [...classes.map((c) => c.id).filter((id) => present.has(id))];
  for (const id of present) if (!classIds.includes(id)) classIds.push(id);
  const indexOf = new Map(classIds.map((id, i) => [id, i]));
  return { classOf: Int32Array.from(images, (img) => indexOf.get(img.classId)!), classIds };
}

export function planSplit(images: readonly SplitImage[], options: PlanOptions): SplitPlan {
  checkRatios(options.ratios);
  if (images.length === 0) {
    throw new ApiError('invalid_request', 'there are no labeled images to split: label some images first (unlabeled and excluded images are never split)');
  }
  const grouping = buildGrouping(images, options.grouping);
  const { classOf, classIds } = indexClasses(images, options.classes);
  const classTotals = new Int32Array(classIds.length);
  for (let i = 0; i < images.length; i++) classTotals[classOf[i]!]!++;
  const targets = new Float64Array(classIds.length * SPLIT_COUNT);
  for (let c = 0; c < classIds.length; c++) {
    SPLITS.forEach((s, k) => (targets[c * SPLIT_COUNT + k] = (classTotals[c]! * options.ratios[s]) / 100));
  }
  const allowed = SPLITS.flatMap((s, k) => (options.ratios[s] > 0 ? [k] : []));
  const { splitOfGroup } = balanceGroups({
    groups: grouping.groups,
    classOf,
    nClasses: classIds.length,
    targets,
    allowed,
    seed: options.seed,
  });
  const splitOf = Uint8Array.from(grouping.groupOf, (g) => splitOfGroup[g]!);
  const stats = splitStats(
    images.map((img, i) => ({ classId: img.classId, split: splitOf[i]! })),
    options.classes,
  );
  return { images, splitOf, grouping, classOf, classIds, targets, stats };
}
