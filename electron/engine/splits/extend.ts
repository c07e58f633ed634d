// New images after a split was saved: they join by the same rules (grouping, ratios,
// seed) without moving any image already placed, and go to train and validation only —
// never silently into test, whose contents must stay fixed for its results to mean the
// same thing. `allowTest` is the user's explicit "test may grow too".
//
// A new image that belongs to a group already placed follows its group, except into
// test (without allowTest): then it is held back, neither trained on nor tested, since
// training on it would leak its group's test images. A new image whose group now links
// images of different splits (a new near duplicate bridging two clusters) is held back
// too: no split is right for it.
import { balanceGroups, SPLIT_COUNT } from './balance.js';
import { buildGrouping } from './grouping.js';
import { checkRatios } from './ratios.js';
import { indexClasses, UNASSIGNED, type PlanOptions } from './split-plan.js';
import { splitStats, type SplitStats } from './stats.js';
import { splitIndex, SPLITS, type SplitImage, type SplitName } from './types.js';

export interface ExtendOptions extends PlanOptions {
  /** The split of each image in the version being extended, by image id. */
  previous: ReadonlyMap<number, SplitName>;
  allowTest: boolean;
}

export type HoldReason = 'test_group' | 'mixed_group';

export interface ExtendPlan {
  /** Split index of each image (255: not in the version: held back). */
  splitOf: Uint8Array;
  /** Indexes of the images this extension places. */
  added: number[];
  heldBack: { index: number; reason: HoldReason }[];
  /** Over every current image in the extended version. */
  stats: SplitStats;
  /** Over the added images only. */
  addedStats: SplitStats;
}

const TEST = splitIndex('test');

export function extendSplit(images: readonly SplitImage[], options: ExtendOptions): ExtendPlan {
  checkRatios(options.ratios);
  const grouping = buildGrouping(images, options.grouping);
  const { classOf, classIds } = indexClasses(images, options.classes);
  const nC = classIds.length;
  const splitOf = new Uint8Array(images.length).fill(UNASSIGNED);
  images.forEach((img, i) => {
    const s = options.previous.get(img.id);
    if (s) splitOf[i] = splitIndex(s);
  });

  const added: number[] = [];
  const heldBack: ExtendPlan['heldBack'] = [];
  const freshGroups: number[][] = [];
  for (const members of grouping.groups) {
    const fresh = members.filter((i) => splitOf[i] === UNASSIGNED);
    if (fresh.length === 0) continue;
    const placed = new Set(members.filter((i) => splitOf[i] !== UNASSIGNED).map((i) => splitOf[i]!));
    if (placed.size === 0) freshGroups.push(fresh);
    else if (placed.size > 1) for (const i of fresh) heldBack.push({ index: i, reason: 'mixed_group' });
    else {
      const s = [...placed][0]!;
      if (s === TEST && !options.allowTest) for (const i of fresh) heldBack.push({ index: i, reason: 'test_group' });
      else for (const i of fresh) ((splitOf[i] = s), added.push(i));
    }
  }

  const initial = new Int32Array(nC * SPLIT_COUNT);
  const freshCount = new Int32Array(nC);
  images.forEach((_img, i) => {
    if (splitOf[i] !== UNASSIGNED) initial[classOf[i]! * SPLIT_COUNT + splitOf[i]!]!++;
  });
  for (const g of freshGroups) for (const i of g) freshCount[classOf[i]!]!++;
  const r = options.ratios;
  const allowed = SPLITS.flatMap((s, k) => (r[s] > 0 && (k !== TEST || options.allowTest) ? [k] : []));
  // Targets over what the version will hold; without test, train and validation share
  // the new images in their own proportion.
  const denominator = options.allowTest ? 100 : r.train + r.validation;
  const targets = new Float64Array(nC * SPLIT_COUNT);
  for (let c = 0; c < nC; c++) {
    const base = c * SPLIT_COUNT;
    const inPlay = options.allowTest ? initial[base]! + initial[base + 1]! + initial[base + 2]! : initial[base]! + initial[base + 1]!;
    SPLITS.forEach((s, k) => {
      targets[base + k] = !options.allowTest && k === TEST ? initial[base + k]! : ((inPlay + freshCount[c]!) * r[s]) / denominator;
    });
  }
  const { splitOfGroup } = balanceGroups({ groups: freshGroups, classOf, nClasses: nC, targets, initial, allowed, seed: options.seed });
  freshGroups.forEach((g, k) => {
    for (const i of g) ((splitOf[i] = splitOfGroup[k]!), added.push(i));
  });
  added.sort((a, b) => a - b);

  const member = (i: number) => ({ classId: images[i]!.classId, split: splitOf[i]! });
  const assigned = images.flatMap((_img, i) => (splitOf[i] === UNASSIGNED ? [] : [member(i)]));
  return {
    splitOf,
    added,
    heldBack,
    stats: splitStats(assigned, options.classes),
    addedStats: splitStats(added.map(member), options.classes),
  };
}
