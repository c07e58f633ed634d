// The Library screen's state: class counts for the sidebar, the grid's filter, its
// page cache, the selection and the detail panel. Reloads itself when the project
// changes (an import, later labeling).
import { SvelteMap } from 'svelte/reactivity';
import type { ClassInfo, ImageDetail, ImageFilter, ImageTile } from '../../../../electron/api/schemas.js';
import type { HoldoutClient } from '../api/client.js';
import { messageOf } from '../errors.js';
import { PageCache, type Page } from '../grid/page-cache.js';
import { MarkSet } from '../labeling/marks.js';
import { rangePartsByPage } from '../labeling/range.js';
import { filterKey, filterOf, PAGE_SIZE, type ClassChoice, type StatusChoice } from './filter.js';

export type { ClassChoice, StatusChoice } from './filter.js';

export class LibraryState {
  readonly #api: HoldoutClient;
  #classes = $state.raw<ClassInfo[]>([]);
  #unlabeled = $state(0);
  #total = $state(0);
  #countsLoaded = $state(false);
  #countsError = $state<string | null>(null);
  #gridError = $state<string | null>(null);
  /** Bumped when the data behind the grid changed, so it asks again for what it shows. */
  #generation = $state(0);

  #classChoice = $state.raw<ClassChoice>({ kind: 'all' });
  #status = $state<StatusChoice>('all');
  /** "Show test images": off by default, so the lockbox hides the current split's test images. */
  #includeTest = $state(false);
  #filter = $derived(filterOf(this.#classChoice, this.#status, this.#includeTest));
  /** Test images the current class/status choice hides (or shows, when the toggle is on); null until known. */
  #hiddenTest = $state<number | null>(null);
  #hiddenTicket = 0;
  #filterKey = $derived(filterKey(this.#filter));

  #selected = $state<number | null>(null);
  /** Bumped once per change of the marks: what makes `marked` reactive (one write per range, not per id). */
  #marksVersion = $state(0);
  readonly #marks = new MarkSet(() => {
    this.#marksVersion += 1;
  });
  /** Where a shift-click range starts: the last image clicked or toggled. */
  #anchor: number | null = null;
  /** Bumped whenever the marks are cleared: ids of a range still loading then no longer join them. */
  #marksEpoch = 0;
  /** Ids of ranges over tiles not loaded yet, on their way from the engine. */
  readonly #pendingRanges = new Set<Promise<number[]>>();
  #rangeLoading = $state(0);
  #rangeError = $state<string | null>(null);
  #detailOpen = $state(false);
  /** The image whose details show (a duplicate link can show one outside the grid's selection). */
  #detailId = $state<number | null>(null);
  #detail = $state.raw<ImageDetail | null>(null);
  #detailError = $state<string | null>(null);
  #detailLoading = $state(false);

  readonly cache: PageCache<ImageFilter, ImageTile>;
  #classNames = $derived(new Map(this.#classes.map((c) => [c.id, c.name])));
  #reloadTimer: ReturnType<typeof setTimeout> | null = null;
  #lastReload = 0;
  /** How long the last reload's counts took to come back (the server is busy writing an import meanwhile). */
  #lastReloadMs = 0;

  constructor(api: HoldoutClient) {
    this.#api = api;
    this.cache = new PageCache<ImageFilter, ImageTile>({
      pageSize: PAGE_SIZE,
      maxPages: 120,
      keyOf: filterKey,
      pages: new SvelteMap<string, Page<ImageTile>>(),
      totals: new SvelteMap<string, number>(),
      load: async (filter, offset, limit) => {
        const page = await this.#api.call('images.page', { filter, offset, limit });
        this.#gridError = null;
        return page;
      },
      onError: (err) => {
        this.#gridError = messageOf(err);
      },
    });
  }

  /** Image ids marked for a bulk action (Space, Ctrl-click, shift-click); empty = the selection alone. */
  get marked(): MarkSet {
    void this.#marksVersion;
    return this.#marks;
  }

  get classes(): ClassInfo[] {
    return this.#classes;
  }
  get unlabeled(): number {
    return this.#unlabeled;
  }
  /** Every image in the project. */
  get total(): number {
    return this.#total;
  }
  get countsLoaded(): boolean {
    return this.#countsLoaded;
  }
  get countsError(): string | null {
    return this.#countsError;
  }
  get generation(): number {
    return this.#generation;
  }
  get gridError(): string | null {
    return this.#gridError;
  }
  get classChoice(): ClassChoice {
    return this.#classChoice;
  }
  get status(): StatusChoice {
    return this.#status;
  }
  get includeTest(): boolean {
    return this.#includeTest;
  }
  /** How many of the images under the class/status choice are test images: hidden unless includeTest. */
  get hiddenTest(): number | null {
    return this.#hiddenTest;
  }
  get rangeError(): string | null {
    return this.#rangeError;
  }
  /** A range over tiles not loaded yet is still being marked. */
  get rangeLoading(): boolean {
    return this.#rangeLoading > 0;
  }
  get filter(): ImageFilter {
    return this.#filter;
  }
  get filterKey(): string {
    return this.#filterKey;
  }
  /** Images the grid shows, once known. */
  get gridTotal(): number | undefined {
    return this.cache.total(this.#filter);
  }
  get selected(): number | null {
    return this.#selected;
  }
  get selectedTile(): ImageTile | undefined {
    return this.#selected === null ? undefined : this.cache.tile(this.#filter, this.#selected);
  }
  get detailOpen(): boolean {
    return this.#detailOpen;
  }
  get detailId(): number | null {
    return this.#detailId;
  }
  get detail(): ImageDetail | null {
    return this.#detail;
  }
  get detailError(): string | null {
    return this.#detailError;
  }
  get detailLoading(): boolean {
    return this.#detailLoading;
  }

  className(classId: number | null): string | null {
    return classId === null ? null : (this.#classNames.get(classId) ?? null);
  }

  tile(index: number): ImageTile | undefined {
    return this.cache.tile(this.#filter, index);
  }

  /** The grid shows indexes [start, end): load what is missing. */
  want(start: number, end: number): void {
    this.cache.want(this.#filter, start, end);
  }

  async loadCounts(): Promise<void> {
    try {
      const r = await this.#api.call('classes.list', {});
      this.#classes = r.classes;
      this.#unlabeled = r.unlabeled;
      this.#total = r.total;
      this.#countsError = null;
    } catch (err) {
      this.#countsError = messageOf(err);
    } finally {
      this.#countsLoaded = true;
    }
  }

  /** The toggle's count for the current filter (a split, an import or a label may change it). */
  async loadHiddenTest(): Promise<void> {
    const ticket = ++this.#hiddenTicket;
    try {
      const { hidden } = await this.#api.call('images.hiddenTest', { filter: this.#filter });
      if (ticket === this.#hiddenTicket) this.#hiddenTest = hidden;
    } catch {
      if (ticket === this.#hiddenTicket) this.#hiddenTest = null;
    }
  }

  /** Counts again, and every page again: the images behind the grid changed. */
  async reload(): Promise<void> {
    this.#lastReload = Date.now();
    this.cache.invalidate();
    this.#generation += 1;
    this.cache.want(this.#filter, 0, 1);
    void this.loadHiddenTest();
    const started = Date.now();
    await this.loadCounts();
    this.#lastReloadMs = Date.now() - started;
    // The selected image may have changed (or be gone): refresh what the panel shows.
    if (this.#detailOpen && this.#detailId !== null) void this.#loadDetail(this.#detailId);
  }

  /**
   * project.changed: reload, at most about once a second while an import streams changes,
   * and less often when a reload is slow (a large project on a busy machine: at 100,000
   * images the counts take ~90–200 ms of the server's time), so reloads never take more
   * than about a fifth of the server's time away from the import.
   */
  onProjectChanged(): void {
    if (this.#reloadTimer) return;
    const interval = Math.max(1000, 5 * this.#lastReloadMs);
    const wait = Math.max(0, interval - (Date.now() - this.#lastReload));
    this.#reloadTimer = setTimeout(() => {
      this.#reloadTimer = null;
      void this.reload();
    }, wait);
  }

  dispose(): void {
    if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
    this.#reloadTimer = null;
  }

  chooseClass(choice: ClassChoice): void {
    this.#classChoice = choice;
    this.#resetSelection();
  }

  chooseStatus(status: StatusChoice): void {
    this.#status = status;
    this.#resetSelection();
  }

  /** "Show test images": the grid shows the current split's test images too, badged "test". */
  setIncludeTest(show: boolean): void {
    if (show === this.#includeTest) return;
    this.#includeTest = show;
    this.#resetSelection();
  }

  isChosen(choice: ClassChoice): boolean {
    const c = this.#classChoice;
    if (c.kind !== choice.kind) return false;
    return c.kind !== 'class' || (choice.kind === 'class' && c.id === choice.id);
  }

  /** Selects the image at `index` of the grid; the panel follows when it is open. */
  select(index: number | null): void {
    this.#selected = index;
    if (index !== null) this.#anchor = index;
    if (index === null) return;
    if (this.#detailOpen) this.#followSelection();
  }

  /** Space or Ctrl-click: adds the image at `index` to the marked ones, or takes it out. */
  toggleMark(index: number): void {
    const tile = this.tile(index);
    if (!tile) return;
    this.#marks.toggle(tile.id);
    this.#selected = index;
    this.#anchor = index;
  }

  /**
   * Shift-click or drag: marks every image from position `from` to `to`. Loaded tiles
   * are marked at once; the ids of positions not loaded yet (a range across a large
   * project) come from the engine by position, under the same filter, and join the
   * marks unless the marks were cleared or the grid changed meanwhile.
   */
  markRange(from: number, to: number): void {
    // A page at a time: a range across 100,000 positions reads the few loaded pages, not every position.
    const filter = this.#filter;
    const parts = rangePartsByPage(from, to, this.cache.pageSize, (offset) => this.cache.pageItems(filter, offset), (t) => t.id);
    this.#marks.addAll(parts.ids);
    this.#selected = to;
    if (parts.missing.length === 0) return;
    const epoch = this.#marksEpoch;
    const key = this.#filterKey;
    const generation = this.#generation;
    this.#rangeError = null;
    const loading = Promise.all(parts.missing.map((run) => this.#api.call('images.idsInRange', { filter, ...run })))
      .then((answers) => {
        const ids = answers.flatMap((a) => a.ids);
        if (epoch === this.#marksEpoch && key === this.#filterKey && generation === this.#generation) {
          this.#marks.addAll(ids);
        }
        return ids;
      })
      .catch((err: unknown) => {
        this.#rangeError = `Could not mark the whole range: ${messageOf(err)}`;
        return [] as number[];
      });
    this.#pendingRanges.add(loading);
    this.#rangeLoading += 1;
    void loading.finally(() => {
      this.#pendingRanges.delete(loading);
      this.#rangeLoading -= 1;
    });
  }

  /**
   * The marked images for an action, including ranges whose ids are still on their way
   * (taken now, so a click after the key press does not change what the key labels);
   * null when nothing is marked.
   */
  captureMarks(): Promise<number[]> | null {
    if (this.marked.size === 0 && this.#pendingRanges.size === 0) return null;
    // One pass over the marks (100,000 after a shift-click across a large project): they
    // are a set already, and ranges still on their way join a copy of it.
    if (this.#pendingRanges.size === 0) return Promise.resolve([...this.marked]);
    const ids = new Set(this.marked);
    return Promise.all([...this.#pendingRanges]).then((lists) => {
      for (const list of lists) for (const id of list) ids.add(id);
      return [...ids];
    });
  }

  get anchor(): number | null {
    return this.#anchor;
  }

  clearMarks(): void {
    this.#marksEpoch += 1;
    this.#marks.clear();
  }

  /**
   * The images an action applies to: the marked ones, else the selected one. While the
   * grid still shows pages from before a change, a filter on class may have moved images
   * under the selection, so it answers nothing then rather than the wrong image.
   */
  targets(): number[] {
    if (this.marked.size > 0) return [...this.marked];
    if (this.#selected === null) return [];
    if (this.#filter.classId !== undefined || this.#filter.status !== undefined) {
      if (this.cache.isStale(this.#filter, this.#selected)) return [];
    }
    const tile = this.selectedTile;
    return tile ? [tile.id] : [];
  }

  /**
   * targets(), once the grid shows fresh pages where the selection is: keys pressed
   * while the Unlabeled queue reloads then label the image that moved up, not the one
   * just labeled. Gives up (answers nothing) after ten seconds.
   */
  async settledTargets(timeoutMs = 10_000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.marked.size === 0 && this.#selected !== null && this.cache.isStale(this.#filter, this.#selected)) {
      if (Date.now() > deadline) return [];
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.targets();
  }

  /** Opens the detail panel on the selected image. */
  openDetail(): void {
    if (this.#selected === null) return;
    this.#detailOpen = true;
    this.#followSelection();
  }

  /** Shows another image in the panel (an exact duplicate, say) without moving the grid's selection. */
  showDetailOf(id: number): void {
    this.#detailOpen = true;
    void this.#loadDetail(id);
  }

  closeDetail(): void {
    this.#detailOpen = false;
  }

  /** Called when the page holding the selection arrives, so the panel can show it. */
  syncDetail(): void {
    if (this.#detailOpen) this.#followSelection();
  }

  #followSelection(): void {
    const tile = this.selectedTile;
    if (!tile) {
      this.#detailId = null;
      return;
    }
    if (tile.id !== this.#detailId) void this.#loadDetail(tile.id);
  }

  async #loadDetail(id: number): Promise<void> {
    this.#detailId = id;
    this.#detailLoading = true;
    this.#detailError = null;
    try {
      const detail = await this.#api.call('images.get', { id });
      if (this.#detailId === id) this.#detail = detail;
    } catch (err) {
      if (this.#detailId === id) {
        this.#detail = null;
        this.#detailError = messageOf(err);
      }
    } finally {
      if (this.#detailId === id) this.#detailLoading = false;
    }
  }

  #resetSelection(): void {
    this.#selected = null;
    this.#anchor = null;
    this.clearMarks();
    this.#detailOpen = false;
    this.#detailId = null;
    this.#detail = null;
  }
}
