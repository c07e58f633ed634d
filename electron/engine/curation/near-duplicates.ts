// Near duplicates as clusters: images connected by chains of pairs within the
// threshold (single linkage, via union-find), among the images the filter lets through.
// A cluster needs two such images; the rest of the project does not link them.
import type Database from 'better-sqlite3';
import type { ImageFilter, ImageTile } from '../../api/schemas.js';
import { filterSql, isEmptyFilter } from '../store/image-filter.js';
import { testIdsToHide } from '../store/splits-repo.js';
import { markTestTiles } from '../store/test-marks.js';
import { hamming } from './hash64.js';
import { nearIndex, type HashGroups, type NearIndex } from './near-index.js';
import { bestKeeper, tilesByIds, withoutSize } from './tiles.js';
import { UnionFind } from './union-find.js';

export interface NearTile extends ImageTile {
  distance: number;
}

export interface NearCluster {
  suggestedKeepId: number;
  images: NearTile[];
}

export interface NearClusterPage {
  threshold: number;
  totalClusters: number;
  totalImages: number;
  offset: number;
  clusters: NearCluster[];
}

/**
 * 1 for each image id the filter lets through; null = all pass. Only images that can be
 * in a cluster (their hash has a near pair or is shared) are asked about: usually a
 * small part of the project, so this is much cheaper than reading every id.
 */
function passingIds(db: Database.Database, filter: ImageFilter, groups: HashGroups, pairsA: Int32Array, pairsB: Int32Array): Uint8Array | null {
  if (isEmptyFilter(filter)) return null;
  if (filter.classId === undefined && filter.status === undefined) {
    // Only the lockbox (the view's default): all but the current test images, read from
    // the split's index. Asking SQL about every candidate instead costs ~0.2 s at 100,000.
    const hidden = testIdsToHide(db);
    if (hidden.size === 0) return null;
    const pass = new Uint8Array(groups.maxId + 1).fill(1);
    for (const id of hidden) if (id <= groups.maxId) pass[id] = 0;
    return pass;
  }
  const candidates: number[] = [];
  const take = (g: number) => {
    for (let k = groups.start[g]!; k < groups.start[g + 1]!; k++) candidates.push(groups.images[k]!);
  };
  const seen = new Uint8Array(groups.hi.length);
  for (let k = 0; k < pairsA.length; k++) {
    for (const g of [pairsA[k]!, pairsB[k]!]) {
      if (!seen[g]) {
        seen[g] = 1;
        take(g);
      }
    }
  }
  for (let g = 0; g < groups.hi.length; g++) if (!seen[g] && groups.start[g + 1]! - groups.start[g]! > 1) take(g);
  const pass = new Uint8Array(groups.maxId + 1);
  const f = filterSql(filter);
  const ids = db
    .prepare(`SELECT id FROM images WHERE id IN (SELECT value FROM json_each(?)) AND ${f.sql}`)
    .pluck()
    .all(JSON.stringify(candidates), ...f.params) as number[];
  for (const id of ids) if (id <= groups.maxId) pass[id] = 1;
  return pass;
}

interface RawCluster {
  /** [image id, group] of each member. */
  members: [number, number][];
  minId: number;
}

function clusters(groups: HashGroups, pairsA: Int32Array, pairsB: Int32Array, pass: Uint8Array | null): RawCluster[] {
  const nGroups = groups.hi.length;
  const passingIn = (g: number): number[] => {
    const out: number[] = [];
    for (let k = groups.start[g]!; k < groups.start[g + 1]!; k++) {
      const id = groups.images[k]!;
      if (!pass || pass[id]) out.push(id);
    }
    return out;
  };
  const uf = new UnionFind(nGroups);
  const involved = new Set<number>();
  for (let k = 0; k < pairsA.length; k++) {
    const a = pairsA[k]!;
    const b = pairsB[k]!;
    if (pass && (passingIn(a).length === 0 || passingIn(b).length === 0)) continue;
    uf.union(a, b);
    involved.add(a).add(b);
  }
  // Groups of one hash shared by several images are clusters even without a pair.
  for (let g = 0; g < nGroups; g++) if (groups.start[g + 1]! - groups.start[g]! > 1) involved.add(g);
  const byRoot = new Map<number, RawCluster>();
  for (const g of involved) {
    const ids = passingIn(g);
    if (ids.length === 0) continue;
    const root = uf.find(g);
    let c = byRoot.get(root);
    if (!c) byRoot.set(root, (c = { members: [], minId: Infinity }));
    for (const id of ids) {
      c.members.push([id, g]);
      if (id < c.minId) c.minId = id;
    }
  }
  return [...byRoot.values()]
    .filter((c) => c.members.length >= 2)
    .sort((x, y) => y.members.length - x.members.length || x.minId - y.minId);
}

export async function nearDuplicates(
  db: Database.Database,
  threshold: number,
  filter: ImageFilter,
  offset: number,
  limit: number,
): Promise<NearClusterPage> {
  return clusterPageFrom(db, await nearIndex(db, threshold), filter, offset, limit);
}

/** One page of clusters from an index already built (synchronous: reads the project once). */
export function clusterPageFrom(db: Database.Database, index: NearIndex, filter: ImageFilter, offset: number, limit: number): NearClusterPage {
  const { groups, threshold } = index;
  const pass = passingIds(db, filter, groups, index.pairs.a, index.pairs.b);
  const all = clusters(groups, index.pairs.a, index.pairs.b, pass);
  const page = all.slice(offset, offset + limit);
  const tiles = new Map(markTestTiles(db, tilesByIds(db, page.flatMap((c) => c.members.map(([id]) => id))), filter).map((t) => [t.id, t]));
  const out: NearCluster[] = [];
  for (const c of page) {
    const present = c.members.filter(([id]) => tiles.has(id));
    if (present.length < 2) continue; // rows deleted since the index was read
    const groupOf = new Map(present);
    const keeper = bestKeeper(present.map(([id]) => tiles.get(id)!));
    const kg = groupOf.get(keeper.id)!;
    const images = present
      .map(([id, g]) => ({
        ...withoutSize(tiles.get(id)!),
        distance: hamming(groups.hi[g]!, groups.lo[g]!, groups.hi[kg]!, groups.lo[kg]!),
      }))
      .sort((x, y) => x.distance - y.distance || x.id - y.id);
    out.push({ suggestedKeepId: keeper.id, images });
  }
  return {
    threshold,
    totalClusters: all.length,
    totalImages: all.reduce((s, c) => s + c.members.length, 0),
    offset,
    clusters: out,
  };
}
