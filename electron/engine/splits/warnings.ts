// What the wizard and the command line warn about, in plain words: classes with too
// few validation or test images, classes missing from a split, groups too big for a
// split, leakage across splits, and group sources that found nothing.
import { SPLIT_COUNT } from './balance.js';
import { describeSource, type Grouping } from './grouping.js';
import type { LeakageReport } from './leakage.js';
import type { SplitStats } from './stats.js';
import { SPLITS, type Ratios, type SplitName } from './types.js';

/** Fewer evaluation images than this make a class's accuracy jump around by chance. */
export const FEW_IMAGES = 5;
/** At most this many messages about single groups; the rest are summed up in one. */
const MAX_GROUP_MESSAGES = 5;

export type WarningKind =
  | 'missing_class'
  | 'few_images'
  | 'large_group'
  | 'near_duplicates'
  | 'groups_crossing'
  | 'no_groups'
  | 'held_back';

export interface SplitWarning {
  kind: WarningKind;
  message: string;
}

export interface WarningInput {
  stats: SplitStats;
  ratios: Ratios;
  grouping: Grouping;
  classOf: Int32Array;
  classIds: readonly number[];
  /** Target count of class index c in split s at [c * 3 + s]. */
  targets: Float64Array;
  leakage: LeakageReport;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function classWarnings(stats: SplitStats, ratios: Ratios): SplitWarning[] {
  const out: SplitWarning[] = [];
  for (const cls of stats.perClass) {
    for (const split of SPLITS) {
      if (ratios[split] <= 0) continue;
      const n = cls.counts[split];
      if (n === 0) {
        out.push({
          kind: 'missing_class',
          message: `Class "${cls.name}" has no ${split} images, so the ${split === 'train' ? 'model cannot learn it' : `${split} result says nothing about it`}. Add more "${cls.name}" images (it has ${cls.total}).`,
        });
      } else if (split !== 'train' && n < FEW_IMAGES) {
        out.push({
          kind: 'few_images',
          message: `Class "${cls.name}" has only ${plural(n, `${split} image`)}; with fewer than ${FEW_IMAGES}, its ${split} accuracy is mostly chance. Add more "${cls.name}" images or raise the ${split} share.`,
        });
      }
    }
  }
  return out;
}

function largeGroupWarnings(input: WarningInput, classNames: Map<number, string>): SplitWarning[] {
  const out: SplitWarning[] = [];
  let more = 0;
  const { grouping, classOf, classIds, targets, ratios } = input;
  grouping.groups.forEach((members, g) => {
    if (members.length < 2) return;
    const perClass = new Map<number, number>();
    for (const i of members) perClass.set(classOf[i]!, (perClass.get(classOf[i]!) ?? 0) + 1);
    // The smallest split (with a share) that this group's images of one class overfill.
    let worst: { split: SplitName; c: number; n: number; target: number } | null = null;
    for (const [c, n] of perClass) {
      SPLITS.forEach((split, s) => {
        const target = targets[c * SPLIT_COUNT + s]!;
        if (ratios[split] > 0 && n > Math.ceil(target) && (!worst || target < worst.target)) worst = { split, c, n, target };
      });
    }
    if (!worst) return;
    if (out.length >= MAX_GROUP_MESSAGES) {
      more++;
      return;
    }
    const w = worst as { split: SplitName; c: number; n: number; target: number };
    const name = classNames.get(classIds[w.c]!) ?? `class ${classIds[w.c]}`;
    out.push({
      kind: 'large_group',
      message: `The ${grouping.names[g]} holds ${plural(w.n, `"${name}" image`)}, more than the ${Math.round(w.target)} the ${w.split} split should get; kept together, it makes the split less even.`,
    });
  });
  if (more > 0) out.push({ kind: 'large_group', message: `${plural(more, 'more group')} ${more === 1 ? 'is' : 'are'} larger than a split should hold.` });
  return out;
}

/** `groupedByNear`: the split already groups near duplicates (at a smaller distance, then). */
export function leakageWarnings(leakage: LeakageReport, groupedByNear: boolean): SplitWarning[] {
  const out: SplitWarning[] = [];
  if (leakage.nearDuplicatePairs > 0) {
    const grouped = groupedByNear;
    out.push({
      kind: 'near_duplicates',
      message: `${plural(leakage.nearDuplicatePairs, 'pair')} of near-duplicate images sit in different splits: the model would be checked on pictures it has practically seen, and its score would look better than it is.${grouped ? ' Lower the grouping distance or raise the check distance to match.' : ' Group by near duplicates to keep them together.'}`,
    });
  }
  if (leakage.groupsCrossing > 0) {
    out.push({
      kind: 'groups_crossing',
      message: `${plural(leakage.groupsCrossing, 'group')} (${[...new Set(leakage.groups.map((g) => g.source))].join(', ')}) ${leakage.groupsCrossing === 1 ? 'has' : 'have'} images in more than one split; choose that grouping to keep each group in one split.`,
    });
  }
  return out;
}

function emptySourceWarnings(grouping: Grouping): SplitWarning[] {
  return grouping.sources
    .filter((s) => s.groups === 0)
    .map((s) => ({
      kind: 'no_groups' as const,
      message: `Grouping by ${describeSource(s.source)} found no two images that belong together, so it changed nothing.`,
    }));
}

export function splitWarnings(input: WarningInput, classNames: Map<number, string>): SplitWarning[] {
  return [
    ...classWarnings(input.stats, input.ratios),
    ...largeGroupWarnings(input, classNames),
    ...leakageWarnings(input.leakage, input.grouping.sources.some((s) => s.source.kind === 'near-duplicates')),
    ...emptySourceWarnings(input.grouping),
  ];
}

export function heldBackWarning(testGroup: number, mixedGroup: number): SplitWarning[] {
  const out: SplitWarning[] = [];
  if (testGroup > 0) {
    out.push({
      kind: 'held_back',
      message: `${plural(testGroup, 'new image')} belong${testGroup === 1 ? 's' : ''} to groups in the test split and ${testGroup === 1 ? 'was' : 'were'} held back: training on ${testGroup === 1 ? 'it' : 'them'} would leak the test set. Allow the test set to grow to add ${testGroup === 1 ? 'it' : 'them'} there.`,
    });
  }
  if (mixedGroup > 0) {
    out.push({
      kind: 'held_back',
      message: `${plural(mixedGroup, 'new image')} link${mixedGroup === 1 ? 's' : ''} groups that sit in different splits and ${mixedGroup === 1 ? 'was' : 'were'} held back; a new split would place ${mixedGroup === 1 ? 'it' : 'them'}.`,
    });
  }
  return out;
}
