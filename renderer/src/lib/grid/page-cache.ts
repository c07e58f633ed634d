// The grid's image tiles, fetched in pages and kept in a bounded cache keyed by
// filter + page offset. The grid says which indexes it shows (`want`); the cache
// loads the pages that cover them (a few at a time, newest wish first, stale wishes
// dropped while scrolling fast), and `tile(index)` answers from what is loaded.
//
// Plain TypeScript: the maps are injected so the Svelte side can pass reactive maps
// (SvelteMap) and the unit tests plain ones.

export interface Page<T> {
  offset: number;
  items: T[];
}

export interface PageResult<T> {
  total: number;
  offset: number;
  items: T[];
}

export type PageLoader<F, T> = (filter: F, offset: number, limit: number) => Promise<PageResult<T>>;

export interface PageCacheOptions<F, T> {
  load: PageLoader<F, T>;
  /** Turns a filter into a stable string; the cache key is `${key}@${offset}`. */
  keyOf: (filter: F) => string;
  pageSize?: number;
  /** Most pages kept; the least recently used go first. */
  maxPages?: number;
  /** Most requests in flight at once. */
  maxInFlight?: number;
  /** Where pages live (a reactive map in the UI). */
  pages?: Map<string, Page<T>>;
  /** Where the total per filter lives (a reactive map in the UI). */
  totals?: Map<string, number>;
  onError?: (error: unknown) => void;
}

interface Wish<F> {
  filter: F;
  key: string;
  offset: number;
}

export class PageCache<F, T> {
  readonly pageSize: number;
  readonly #maxPages: number;
  readonly #maxInFlight: number;
  readonly #load: PageLoader<F, T>;
  readonly #keyOf: (filter: F) => string;
  readonly #pages: Map<string, Page<T>>;
  readonly #totals: Map<string, number>;
  readonly #onError: ((error: unknown) => void) | undefined;
  /** Keys being fetched now. */
  readonly #inFlight = new Set<string>();
  /** Pages wished for but not started, most urgent first. */
  #queue: Array<Wish<F>> = [];
  /** Bumped by clear(): answers to older requests are dropped. */
  #generation = 0;
  /** Pages from before the last invalidate(): still shown, fetched again when wanted. */
  readonly #stale = new Set<string>();
  /** Recency for eviction: key -> tick of last use. */
  readonly #used = new Map<string, number>();
  #tick = 0;

  constructor(options: PageCacheOptions<F, T>) {
    this.pageSize = options.pageSize ?? 200;
    this.#maxPages = Math.max(1, options.maxPages ?? 100);
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 3);
    this.#load = options.load;
    this.#keyOf = options.keyOf;
    this.#pages = options.pages ?? new Map();
    this.#totals = options.totals ?? new Map();
    this.#onError = options.onError;
  }

  /** Images matching the filter, once any page of it has loaded. */
  total(filter: F): number | undefined {
    return this.#totals.get(this.#keyOf(filter));
  }

  /** The tile at `index`, if its page is loaded. */
  tile(filter: F, index: number): T | undefined {
    const offset = this.pageOffset(index);
    const page = this.#pages.get(this.#key(this.#keyOf(filter), offset));
    return page?.items[index - offset];
  }

  /**
   * The loaded items of the page starting at `offset` (a multiple of pageSize), or
   * undefined: what a range over many positions reads, a page at a time.
   */
  pageItems(filter: F, offset: number): readonly T[] | undefined {
    return this.#pages.get(this.#key(this.#keyOf(filter), offset))?.items;
  }

  pageOffset(index: number): number {
    return Math.floor(Math.max(0, index) / this.pageSize) * this.pageSize;
  }

  /** Page offsets covering indexes [start, end). */
  offsetsFor(start: number, end: number): number[] {
    const out: number[] = [];
    if (end <= start) return out;
    for (let o = this.pageOffset(start); o < end; o += this.pageSize) out.push(o);
    return out;
  }

  /**
   * The grid shows indexes [start, end): load the pages that cover them, plus the next
   * page ahead. Replaces earlier wishes that have not started.
   */
  want(filter: F, start: number, end: number): void {
    const fk = this.#keyOf(filter);
    const total = this.#totals.get(fk);
    const last = total === undefined ? Math.max(end, start + 1) : Math.min(end, total);
    const offsets = this.offsetsFor(start, Math.max(last, start + 1));
    const ahead = (offsets.at(-1) ?? 0) + this.pageSize;
    if (total === undefined || ahead < total) offsets.push(ahead);
    const queue: Array<Wish<F>> = [];
    for (const offset of offsets) {
      const key = this.#key(fk, offset);
      if (this.#pages.has(key) && !this.#stale.has(key)) {
        this.#touch(key);
        continue;
      }
      if (this.#inFlight.has(key)) continue;
      queue.push({ filter, key, offset });
    }
    this.#queue = queue;
    this.#pump();
  }

  /** Drops every page and total; answers in flight are ignored. */
  clear(): void {
    this.#generation += 1;
    this.#queue = [];
    this.#inFlight.clear();
    this.#used.clear();
    this.#stale.clear();
    this.#pages.clear();
    this.#totals.clear();
  }

  /**
   * The data changed (an import added images): every page is fetched again when next
   * wanted, but until its new version arrives the old one stays on screen, so the grid
   * does not flash placeholders on every change. Answers in flight are ignored.
   */
  invalidate(): void {
    this.#generation += 1;
    this.#queue = [];
    this.#inFlight.clear();
    for (const key of this.#pages.keys()) this.#stale.add(key);
  }

  /** Whether `index` shows a page from before the last invalidate(). */
  isStale(filter: F, index: number): boolean {
    return this.#stale.has(this.#key(this.#keyOf(filter), this.pageOffset(index)));
  }

  get size(): number {
    return this.#pages.size;
  }

  get pending(): number {
    return this.#inFlight.size + this.#queue.length;
  }

  #key(filterKey: string, offset: number): string {
    return `${filterKey}@${offset}`;
  }

  #touch(key: string): void {
    this.#used.set(key, ++this.#tick);
  }

  #pump(): void {
    while (this.#inFlight.size < this.#maxInFlight && this.#queue.length > 0) {
      const next = this.#queue.shift()!;
      this.#fetch(next.filter, next.key, next.offset);
    }
  }

  #fetch(filter: F, key: string, offset: number): void {
    const generation = this.#generation;
    this.#inFlight.add(key);
    this.#load(filter, offset, this.pageSize).then(
      (result) => {
        if (generation !== this.#generation) return;
        this.#inFlight.delete(key);
        this.#totals.set(this.#keyOf(filter), result.total);
        this.#stale.delete(key);
        this.#pages.set(key, { offset, items: result.items });
        this.#touch(key);
        this.#evict();
        this.#pump();
      },
      (error: unknown) => {
        if (generation !== this.#generation) return;
        this.#inFlight.delete(key);
        this.#onError?.(error);
        this.#pump();
      },
    );
  }

  #evict(): void {
    if (this.#pages.size <= this.#maxPages) return;
    const byAge = [...this.#used.entries()].sort((a, b) => a[1] - b[1]);
    for (const [key] of byAge) {
      if (this.#pages.size <= this.#maxPages) break;
      this.#pages.delete(key);
      this.#used.delete(key);
      this.#stale.delete(key);
    }
  }
}
