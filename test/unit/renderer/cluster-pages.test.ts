// "Show more" in the duplicate views: pages join into one list without repeats, the
// count of groups left is right, and a reload keeps as many groups as were shown.
import { describe, expect, it } from 'vitest';
import { appendClusterPage, groupsLeft, reloadLimit } from '../../../renderer/src/lib/curation/cluster-pages.js';

const page = (offset: number, keys: string[], totalClusters: number) => ({
  totalClusters,
  totalImages: totalClusters * 2,
  offset,
  clusters: keys.map((sha256) => ({ sha256 })),
});

describe('cluster pages', () => {
  it('joins the next page after the shown one, keeping the first offset and the newest totals', () => {
    const joined = appendClusterPage(page(0, ['a', 'b'], 5), page(2, ['c', 'd'], 5), (c) => c.sha256);
    expect(joined.offset).toBe(0);
    expect(joined.clusters.map((c) => c.sha256)).toEqual(['a', 'b', 'c', 'd']);
    expect(groupsLeft(joined)).toBe(1);
    const last = appendClusterPage(joined, page(4, ['e'], 5), (c) => c.sha256);
    expect(groupsLeft(last)).toBe(0);
  });

  it('does not repeat a group that moved into the next page meanwhile', () => {
    // A group before it was resolved elsewhere: "b" shifted from page 1 into page 2's answer.
    const joined = appendClusterPage(page(0, ['a', 'b'], 4), page(2, ['b', 'c'], 3), (c) => c.sha256);
    expect(joined.clusters.map((c) => c.sha256)).toEqual(['a', 'b', 'c']);
    expect(joined.totalClusters).toBe(3);
    expect(groupsLeft(joined)).toBe(0);
  });

  it('reloads as many groups as are shown, within the API limit', () => {
    expect(reloadLimit(0, 30)).toBe(30);
    expect(reloadLimit(90, 30)).toBe(90);
    expect(reloadLimit(900, 30)).toBe(500);
  });
});
