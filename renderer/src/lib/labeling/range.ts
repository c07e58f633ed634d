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

/**
 * Builds a RangeParts in position order: each position is either an id (`hit`) or
 * missing (`miss`); consecutive missing positions become runs of at most `maxRun`.
 */
class PartsBuilder {
  readonly ids: number[] = [];
  readonly missing: IndexRun[] = [];
  /** Start of the run of missing positions in progress, -1 when none. */
  #runStart = -1;
  constructor(private readonly maxRun: number) {}

  hit(index: number, id: number): void {
    if (this.#runStart >= 0) this.#close(index);
    this.ids.push(id);
  }

  miss(index: number): void {
    if (this.#runStart < 0) this.#runStart = index;
  }

  /** The parts, with a run still open closed at `end` (exclusive). */
  done(end: number): RangeParts {
    if (this.#runStart >= 0) this.#close(end);
    return { ids: this.ids, missing: this.missing };
  }

  #close(end: number): void {
    for (let s = this.#runStart; s < end; s += this.maxRun) this.missing.push({ offset: s, limit: Math.min(this.maxRun, end - s) });
    this.#runStart = -1;
  }
}

/** Splits the positions from `from` to `to` (both included, either order) into known ids and missing runs. */
export function rangeParts(from: number, to: number, idAt: (index: number) => number | undefined, maxRun = MAX_RUN): RangeParts {
  const lo = Math.max(0, Math.min(from, to));
  const hi = Math.max(from, to);
  const parts = new PartsBuilder(maxRun);
  for (let i = lo; i <= hi; i++) {
    const id = idAt(i);
    if (id === undefined) parts.miss(i);
    else parts.hit(i, id);
  }
  return parts.done(hi + 1);
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
  const parts = new PartsBuilder(maxRun);
  for (let page = Math.floor(lo / pageSize) * pageSize; page <= hi; page += pageSize) {
    const first = Math.max(lo, page);
    const last = Math.min(hi, page + pageSize - 1);
    const items = itemsAt(page);
    if (!items) {
      parts.miss(first);
      continue;
    }
    for (let i = first; i <= last; i++) {
      const item = items[i - page];
      if (item === undefined) parts.miss(i);
      else parts.hit(i, idOf(item));
    }
  }
  return parts.done(hi + 1);
}
