// "Show more" for the duplicate views: pages of groups joined into one list. Pure, so
// the joining rules are tested without a screen.

export interface ClusterPageLike<C> {
  totalClusters: number;
  offset: number;
  clusters: C[];
}

/**
 * The groups shown so far followed by the next page, as one page that starts where the
 * first did, with the newest answer's totals. A group already shown (the list moved
 * between the two requests, after a "keep one" elsewhere) is not shown twice.
 */
export function appendClusterPage<P extends ClusterPageLike<unknown>>(
  shown: P,
  next: P,
  keyOf: (cluster: P['clusters'][number]) => string | number,
): P {
  const seen = new Set(shown.clusters.map(keyOf));
  return { ...next, offset: shown.offset, clusters: [...shown.clusters, ...next.clusters.filter((c) => !seen.has(keyOf(c)))] };
}

/** Groups not shown yet after the ones on screen. */
export function groupsLeft(page: ClusterPageLike<unknown>): number {
  return Math.max(0, page.totalClusters - page.offset - page.clusters.length);
}

/** How many groups a reload asks for: as many as are on screen, so "Show more" is not undone. */
export function reloadLimit(shownGroups: number, perPage: number, max = 500): number {
  return Math.min(max, Math.max(perPage, shownGroups));
}
