// Near duplicates for the split engine: the pairs of images whose perceptual hashes
// differ in at most `threshold` bits, and the clusters those pairs chain into. Built on
// the curation engine's multi-index search (curation/multi-index.ts), which needs
// identical hashes merged first; this file does that merge and expands back to images.
import { hamming, parseHash } from '../curation/hash64.js';
import { nearPairs } from '../curation/multi-index.js';
import { UnionFind } from '../curation/union-find.js';

export interface HashedImage {
  /** The caller's handle for the image (an index into its own array). */
  index: number;
  phash: string;
}

export interface HashBuckets {
  hi: Uint32Array;
  lo: Uint32Array;
  /** The images (their `index`) of each distinct hash. */
  members: number[][];
}

export function bucketByHash(images: readonly HashedImage[]): HashBuckets {
  const bucketOf = new Map<string, number>();
  const members: number[][] = [];
  const his: number[] = [];
  const los: number[] = [];
  for (const img of images) {
    const hex = img.phash.toLowerCase();
    let b = bucketOf.get(hex);
    if (b === undefined) {
      b = members.length;
      bucketOf.set(hex, b);
      members.push([]);
      const [hi, lo] = parseHash(hex);
      his.push(hi);
      los.push(lo);
    }
    members[b]!.push(img.index);
  }
  return { hi: Uint32Array.from(his), lo: Uint32Array.from(los), members };
}

/** Pairs of distinct hashes within the threshold, as bucket numbers with their distance. */
export function bucketPairs(buckets: HashBuckets, threshold: number): { a: Int32Array; b: Int32Array; distance: Uint8Array } {
  return nearPairs(buckets.hi, buckets.lo, threshold);
}

export function bucketDistance(buckets: HashBuckets, a: number, b: number): number {
  return hamming(buckets.hi[a]!, buckets.lo[a]!, buckets.hi[b]!, buckets.lo[b]!);
}

/**
 * Clusters of two or more images linked by chains of near pairs (single linkage);
 * images with identical hashes are always in one cluster.
 */
export function nearDuplicateClusters(images: readonly HashedImage[], threshold: number): number[][] {
  const buckets = bucketByHash(images);
  const uf = new UnionFind(buckets.members.length);
  const pairs = bucketPairs(buckets, threshold);
  for (let k = 0; k < pairs.a.length; k++) uf.union(pairs.a[k]!, pairs.b[k]!);
  const byRoot = new Map<number, number[]>();
  for (let b = 0; b < buckets.members.length; b++) {
    const root = uf.find(b);
    let list = byRoot.get(root);
    if (!list) byRoot.set(root, (list = []));
    list.push(...buckets.members[b]!);
  }
  return [...byRoot.values()].filter((c) => c.length > 1);
}
