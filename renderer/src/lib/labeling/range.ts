// A shift-click or drag range over the grid, as a pure function: the ids of the tiles
// already loaded, and the runs of positions that are not (their ids come from the
// engine, by position, so a range can reach past what was scrolled through).

export interface IndexRun {
  offset: number;
  limit: number;
}

/** The most positions one request for ids covers (the API's limit). */
export const MAX_RUN = 200_000;

export interface RangeParts {
  /** Ids of the loaded tiles in the range, in grid order. */
  ids: number[];
  /** Positions in the range without a loaded tile, as runs of at most MAX_RUN. */
  missing: IndexRun[];
}

/** Splits the positions from `from` to `to` (both included, either order) into known ids and missing runs. */
export function rangeParts(from: number, to: number, idAt: (index: number) => number | undefined, maxRun = MAX_RUN): RangeParts {
  const lo = Math.max(0, Math.min(from, to));
  const hi = Math.max(from, to);
  const ids: number[] = [];
  const missing: IndexRun[] = [];
  let runStart = -1;
  const close = (end: number) => {
    for (let s = runStart; s < end; s += maxRun) missing.push({ offset: s, limit: Math.min(maxRun, end - s) });
    runStart = -1;
  };
  for (let i = lo; i <= hi; i++) {
    const id = idAt(i);
    if (id === undefined) {
      if (runStart < 0) runStart = i;
    } else {
      if (runStart >= 0) close(i);
      ids.push(id);
    }
  }
  if (runStart >= 0) close(hi + 1);
  return { ids, missing };
}

/**
 * rangeParts over a paged grid, without a lookup per position: `itemsAt(offset)` gives
 * the loaded items of the page starting at `offset` (pages of `pageSize`), or undefined.
 * A range across 100,000 positions of which a few pages are loaded then costs a few
 * hundred page lookups plus one step per loaded tile, not 100,000 lookups. The answer
 * is the same as rangeParts with `idAt(i) = idOf(itemsAt(page of i)[i - page])`.
 */
export function rangePartsByPage<T>(
  from: number,
  to: number,
  pageSize: number,
  itemsAt: (offset: number) => readonly T[] | undefined,
  idOf: (item: T) => number,
  maxRun = MAX_RUN,
): RangeParts {
  if (!(Number.isInteger(pageSize) && pageSize > 0)) throw new Error(`pageSize must be a positive whole number, not ${pageSize}`);
  const lo = Math.max(0, Math.min(from, to));
  const hi = Math.max(from, to);
  const ids: number[] = [];
  const missing: IndexRun[] = [];
  /** Start of the run of missing positions in progress, -1 when none. */
  let runStart = -1;
  const close = (end: number) => {
    for (let s = runStart; s < end; s += maxRun) missing.push({ offset: s, limit: Math.min(maxRun, end - s) });
    runStart = -1;
  };
  for (let page = Math.floor(lo / pageSize) * pageSize; page <= hi; page += pageSize) {
    const first = Math.max(lo, page);
    const last = Math.min(hi, page + pageSize - 1);
    const items = itemsAt(page);
    if (!items) {
      if (runStart < 0) runStart = first;
      continue;
    }
    for (let i = first; i <= last; i++) {
      const item = items[i - page];
      if (item === undefined) {
        if (runStart < 0) runStart = i;
      } else {
        if (runStart >= 0) close(i);
        ids.push(idOf(item));
      }
    }
  }
  if (runStart >= 0) close(hi + 1);
  return { ids, missing };
}
