// Turns the chosen group sources into one partition of the images: images that any
// source puts together end up in one group (union of the sources' links), so "folder +
// near duplicates" keeps both a folder's images and near copies across folders
// together. Exact copies (same bytes) are always kept together, whatever was chosen:
// one photo in train and in test is leakage by definition. An image no source groups
// is a group of its own.
//
// `folder` and `csv` read the same column: both the folder import (the sub-folders
// below the class folder) and the CSV import (its group column) store the group in
// images.group_name, so they are two names for one source; the wizard offers the one
// that matches how the images came in.
import { UnionFind } from '../curation/union-find.js';
import { nearDuplicateClusters } from './near-duplicate-groups.js';
import { compileGroupPattern, fileNameOf, regexKeys } from './regex-groups.js';
import { timeBursts } from './time-bursts.js';
import type { GroupSource, SplitImage } from './types.js';

/** Images one source links: each entry a group of two or more image indexes. */
export interface SourceGroups {
  source: GroupSource;
  groups: { name: string; members: number[] }[];
}

export interface Grouping {
  /** Group number of each image (by index into the images). */
  groupOf: Int32Array;
  /** Image indexes of each group. */
  groups: number[][];
  /** A readable name of each group, for warnings and the leakage list. */
  names: string[];
  /** What each chosen source found, in the order chosen. */
  sources: { source: GroupSource; groups: number; groupedImages: number }[];
}

export function describeSource(source: GroupSource): string {
  switch (source.kind) {
    case 'folder':
    case 'csv':
      return source.kind;
    case 'regex':
      return `regex:${source.pattern}`;
    case 'near-duplicates':
      return `near-duplicates:${source.threshold}`;
    case 'time':
      return `time:${source.seconds}`;
  }
}

function byKey(images: readonly SplitImage[], keyOf: (img: SplitImage, i: number) => string | null, name: (key: string) => string) {
  const map = new Map<string, number[]>();
  images.forEach((img, i) => {
    const key = keyOf(img, i);
    if (key === null || key === '') return;
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    list.push(i);
  });
  return [...map].filter(([, m]) => m.length > 1).map(([key, members]) => ({ name: name(key), members }));
}

/** The groups of one source. `field` names the request field in error messages. */
export function sourceGroups(images: readonly SplitImage[], source: GroupSource, field: string): SourceGroups {
  switch (source.kind) {
    case 'folder':
    case 'csv':
      return { source, groups: byKey(images, (img) => img.group, (k) => `group "${k}"`) };
    case 'regex': {
      const re = compileGroupPattern(source.pattern, `${field}.pattern`);
      const keys = regexKeys(re, images.map((img) => fileNameOf(img.relPath)), `${field}.pattern`);
      return { source, groups: byKey(images, (_img, i) => keys[i] ?? null, (k) => `name part "${k}"`) };
    }
    case 'near-duplicates': {
      const clusters = nearDuplicateClusters(images.map((img, index) => ({ index, phash: img.phash })), source.threshold);
      return {
        source,
        groups: clusters.map((members) => ({ name: `near duplicates of ${fileNameOf(images[members[0]!]!.relPath)}`, members })),
      };
    }
    case 'time': {
      const bursts = timeBursts(images.map((img, index) => ({ index, capturedAt: img.capturedAt })), source.seconds);
      return {
        source,
        groups: bursts.map((members) => ({ name: `burst from ${images[members[0]!]!.capturedAt}`, members })),
      };
    }
  }
}

export function exactCopies(images: readonly SplitImage[]): SourceGroups['groups'] {
  return byKey(images, (img) => img.sha256, () => '').map((g) => ({
    name: `copies of ${fileNameOf(images[g.members[0]!]!.relPath)}`,
    members: g.members,
  }));
}

export function buildGrouping(images: readonly SplitImage[], sources: readonly GroupSource[]): Grouping {
  const n = images.length;
  const uf = new UnionFind(n);
  const label: (string | null)[] = new Array<string | null>(n).fill(null);
  const link = (groups: SourceGroups['groups']) => {
    for (const g of groups) {
      const first = g.members[0]!;
      for (const m of g.members) {
        uf.union(first, m);
        label[m] ??= g.name;
      }
    }
  };
  const found: Grouping['sources'] = [];
  sources.forEach((source, i) => {
    const sg = sourceGroups(images, source, `grouping.${i}`);
    link(sg.groups);
    found.push({ source, groups: sg.groups.length, groupedImages: sg.groups.reduce((s, g) => s + g.members.length, 0) });
  });
  link(exactCopies(images));

  const groupOf = new Int32Array(n);
  const numberOfRoot = new Map<number, number>();
  const groups: number[][] = [];
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const root = uf.find(i);
    let g = numberOfRoot.get(root);
    if (g === undefined) {
      g = groups.length;
      numberOfRoot.set(root, g);
      groups.push([]);
      names.push('');
    }
    groupOf[i] = g;
    groups[g]!.push(i);
    if (names[g] === '' && label[i]) names[g] = label[i]!;
  }
  for (let g = 0; g < groups.length; g++) if (names[g] === '') names[g] = fileNameOf(images[groups[g]![0]!]!.relPath);
  return { groupOf, groups, names, sources: found };
}
