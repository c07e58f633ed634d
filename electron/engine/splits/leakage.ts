// The leakage check: what correlates across splits. Two kinds:
//   - near-duplicate pairs: two images in different splits whose perceptual hashes are
//     within the threshold (identical copies included, at distance 0);
//   - crossing groups: a group of a group source (folder/CSV group, file-name pattern,
//     capture burst) whose images sit in more than one split.
// Both are counted in full and listed up to a limit, closest pairs and largest groups
// first. Pure: the caller supplies the images with their split.
import { describeSource, sourceGroups } from './grouping.js';
import { bucketByHash, bucketPairs } from './near-duplicate-groups.js';
import { emptyCounts, SPLITS, type GroupSource, type SplitCounts, type SplitImage, type SplitName } from './types.js';

export const DEFAULT_NEAR_THRESHOLD = 6;
export const LEAKAGE_LIST_LIMIT = 50;

export interface PlacedImage extends SplitImage {
  split: SplitName;
}

export interface LeakedImage {
  id: number;
  /** Content hash: the thumbnail's key, so a pair can be shown without asking for each image. */
  sha256: string;
  relPath: string;
  classId: number;
  split: SplitName;
}

export interface LeakagePair {
  a: LeakedImage;
  b: LeakedImage;
  /** Bits between the two perceptual hashes (0: the same picture). */
  distance: number;
}

export interface CrossingGroup {
  /** The source that defines the group, as written on the command line ("folder", "regex:…"). */
  source: string;
  name: string;
  counts: SplitCounts;
}

export interface LeakageReport {
  threshold: number;
  nearDuplicatePairs: number;
  pairs: LeakagePair[];
  groupsCrossing: number;
  groups: CrossingGroup[];
}

export interface LeakageOptions {
  threshold: number;
  /** Sources whose groups are checked for crossing (near-duplicate sources are covered by the pairs). */
  sources: readonly GroupSource[];
  limit?: number;
}

function leaked(img: PlacedImage): LeakedImage {
  return { id: img.id, sha256: img.sha256, relPath: img.relPath, classId: img.classId, split: img.split };
}

function nearPairsAcross(images: readonly PlacedImage[], threshold: number, limit: number) {
  const buckets = bucketByHash(images.map((img, index) => ({ index, phash: img.phash })));
  const perSplit = buckets.members.map((m) => {
    const c = [0, 0, 0];
    for (const i of m) c[SPLITS.indexOf(images[i]!.split)]!++;
    return c;
  });
  const found = bucketPairs(buckets, threshold);
  // Bucket pairs closest first, then each bucket with itself (distance 0) in front.
  const order: { a: number; b: number; d: number }[] = buckets.members.map((_m, b) => ({ a: b, b, d: 0 }));
  for (let k = 0; k < found.a.length; k++) order.push({ a: found.a[k]!, b: found.b[k]!, d: found.distance[k]! });
  order.sort((x, y) => x.d - y.d || x.a - y.a || x.b - y.b);

  let count = 0;
  const pairs: LeakagePair[] = [];
  for (const { a, b, d } of order) {
    const ca = perSplit[a]!;
    const cb = perSplit[b]!;
    let n = 0;
    for (let s = 0; s < 3; s++) for (let t = 0; t < 3; t++) if (s !== t) n += ca[s]! * cb[t]!;
    if (a === b) n /= 2; // each unordered pair was counted from both ends
    if (n === 0) continue;
    count += n;
    if (pairs.length >= limit) continue;
    const ma = buckets.members[a]!;
    const mb = buckets.members[b]!;
    for (const i of ma) {
      for (const j of mb) {
        if (pairs.length >= limit) break;
        if (a === b && j <= i) continue;
        if (images[i]!.split === images[j]!.split) continue;
        const [x, y] = images[i]!.id < images[j]!.id ? [i, j] : [j, i];
        pairs.push({ a: leaked(images[x]!), b: leaked(images[y]!), distance: d });
      }
    }
  }
  return { count, pairs };
}

function crossingGroups(images: readonly PlacedImage[], sources: readonly GroupSource[], limit: number) {
  const crossing: CrossingGroup[] = [];
  let count = 0;
  const seen = new Set<string>();
  sources.forEach((source, i) => {
    if (source.kind === 'near-duplicates') return;
    // folder and csv read the same column: check it once.
    const key = source.kind === 'csv' ? 'folder' : describeSource(source);
    if (seen.has(key)) return;
    seen.add(key);
    for (const g of sourceGroups(images, source, `grouping.${i}`).groups) {
      const counts = emptyCounts();
      for (const m of g.members) counts[images[m]!.split]++;
      if (SPLITS.filter((s) => counts[s] > 0).length < 2) continue;
      count++;
      crossing.push({ source: describeSource(source), name: g.name, counts });
    }
  });
  const size = (g: CrossingGroup) => g.counts.train + g.counts.validation + g.counts.test;
  crossing.sort((x, y) => size(y) - size(x) || x.name.localeCompare(y.name));
  return { count, groups: crossing.slice(0, limit) };
}

export function checkLeakage(images: readonly PlacedImage[], options: LeakageOptions): LeakageReport {
  const limit = options.limit ?? LEAKAGE_LIST_LIMIT;
  const near = nearPairsAcross(images, options.threshold, limit);
  const groups = crossingGroups(images, options.sources, limit);
  return {
    threshold: options.threshold,
    nearDuplicatePairs: near.count,
    pairs: near.pairs,
    groupsCrossing: groups.count,
    groups: groups.groups,
  };
}
