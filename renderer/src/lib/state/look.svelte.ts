// "Look at your data": which view shows, and its answer from the app. Each view is
// one call; the screen asks again when the project changes (a label, "keep one").
import type { Response } from '../../../../electron/api/contract.js';
import type { HoldoutClient } from '../api/client.js';
import { appendClusterPage, groupsLeft, reloadLimit } from '../curation/cluster-pages.js';
import { LOOK_VIEWS, type LookEntry } from '../curation/views.js';
import { messageOf } from '../errors.js';
import { plural } from '../format.js';

export type LookResult =
  | { kind: 'sample'; data: Response<'curation.sample'> }
  | { kind: 'extremes'; data: Response<'curation.extremes'> }
  | { kind: 'histogram'; data: Response<'curation.histogram'> }
  | { kind: 'exact'; data: Response<'curation.exactDuplicates'> }
  | { kind: 'near'; data: Response<'curation.nearDuplicates'> }
  | { kind: 'conflicts'; data: Response<'curation.conflicts'> }
  | { kind: 'bad'; data: Response<'curation.badFiles'> };

export const SAMPLE_SIZE = 60;
export const CLUSTERS_PER_PAGE = 30;

export class LookState {
  readonly #api: HoldoutClient;
  #entry = $state.raw<LookEntry>(LOOK_VIEWS[0]!);
  #result = $state.raw<LookResult | null>(null);
  #loading = $state(false);
  #error = $state<string | null>(null);
  #message = $state<string | null>(null);
  /** The random sample's seed (shown, so the same sample can be drawn again). */
  #seed = $state<number | undefined>(undefined);
  #threshold = $state(6);
  /** "Show test images": off on every visit, so the lockbox hides the current split's test images. */
  #includeTest = $state(false);
  /** Test images the views hide (or show, badged, with the toggle on); null until known. */
  #hiddenTest = $state<number | null>(null);
  /** Another page of groups is on its way ("Show more"). */
  #loadingMore = $state(false);
  /** Only the newest request's answer is shown. */
  #ticket = 0;

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  get entry(): LookEntry {
    return this.#entry;
  }
  get result(): LookResult | null {
    return this.#result;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get error(): string | null {
    return this.#error;
  }
  get message(): string | null {
    return this.#message;
  }
  get threshold(): number {
    return this.#threshold;
  }
  get includeTest(): boolean {
    return this.#includeTest;
  }
  get hiddenTest(): number | null {
    return this.#hiddenTest;
  }
  get loadingMore(): boolean {
    return this.#loadingMore;
  }
  /** Groups of the duplicate views not shown yet (0 for the other views). */
  get moreGroups(): number {
    const r = this.#result;
    if (!r || (r.kind !== 'exact' && r.kind !== 'near' && r.kind !== 'conflicts')) return 0;
    return groupsLeft(r.data);
  }

  /** Shows the test images in every view (badged), or hides them again. */
  setIncludeTest(show: boolean): void {
    if (show === this.#includeTest) return;
    this.#includeTest = show;
    void this.load();
  }

  /** How many images the lockbox hides from these views (the toggle's "N hidden"). */
  async loadHiddenTest(): Promise<void> {
    try {
      this.#hiddenTest = (await this.#api.call('images.hiddenTest', {})).hidden;
    } catch {
      this.#hiddenTest = null;
    }
  }

  show(id: string): void {
    const entry = LOOK_VIEWS.find((v) => v.id === id);
    if (!entry) return;
    this.#entry = entry;
    this.#result = null;
    this.#message = null;
    void this.load();
  }

  /** "Shuffle again": a new seed, a new sample. */
  shuffle(): void {
    this.#seed = undefined;
    void this.load();
  }

  setThreshold(value: number): void {
    this.#threshold = Math.max(0, Math.min(16, Math.round(value)));
    if (this.#entry.view.kind === 'near') void this.load();
  }

  async load(): Promise<void> {
    const ticket = ++this.#ticket;
    const view = this.#entry.view;
    this.#loading = true;
    this.#loadingMore = false;
    this.#error = null;
    void this.loadHiddenTest();
    const filter = this.#includeTest ? { includeTest: true } : {};
    try {
      let result: LookResult;
      switch (view.kind) {
        case 'sample': {
          const data = await this.#api.call('curation.sample', { seed: this.#seed, filter, limit: SAMPLE_SIZE });
          if (ticket === this.#ticket) this.#seed = data.seed;
          result = { kind: 'sample', data };
          break;
        }
        case 'extremes':
          result = {
            kind: 'extremes',
            data: await this.#api.call('curation.extremes', { measure: view.measure, end: view.end, filter, limit: 40 }),
          };
          break;
        case 'histogram':
          result = { kind: 'histogram', data: await this.#api.call('curation.histogram', {}) };
          break;
        case 'exact':
        case 'near':
        case 'conflicts': {
          // A reload (a label, "keep one") keeps as many groups on screen as there were.
          const shown = this.#result?.kind === view.kind ? this.#result.data.clusters.length : 0;
          result = await this.#groups(view.kind, 0, reloadLimit(shown, CLUSTERS_PER_PAGE));
          break;
        }
        case 'bad':
          result = { kind: 'bad', data: await this.#api.call('curation.badFiles', { limit: 500 }) };
          break;
      }
      if (ticket === this.#ticket) this.#result = result;
    } catch (err) {
      if (ticket === this.#ticket) this.#error = messageOf(err);
    } finally {
      if (ticket === this.#ticket) this.#loading = false;
    }
  }

  /** One page of groups of a duplicate view, from `offset`. */
  async #groups(kind: 'exact' | 'near' | 'conflicts', offset: number, limit = CLUSTERS_PER_PAGE): Promise<LookResult> {
    const page = { offset, limit };
    const filter = this.#includeTest ? { includeTest: true } : {};
    if (kind === 'exact') return { kind, data: await this.#api.call('curation.exactDuplicates', { filter, ...page }) };
    if (kind === 'near') {
      return { kind, data: await this.#api.call('curation.nearDuplicates', { threshold: this.#threshold, filter, ...page }) };
    }
    return { kind, data: await this.#api.call('curation.conflicts', { includeTest: this.#includeTest, ...page }) };
  }

  /** "Show more": the next page of groups, added below the ones shown. */
  async loadMore(): Promise<void> {
    const shown = this.#result;
    if (this.#loadingMore || this.#loading || !shown || this.moreGroups === 0) return;
    if (shown.kind !== 'exact' && shown.kind !== 'near' && shown.kind !== 'conflicts') return;
    const ticket = this.#ticket;
    this.#loadingMore = true;
    try {
      const next = await this.#groups(shown.kind, shown.data.offset + shown.data.clusters.length);
      if (ticket !== this.#ticket || this.#result !== shown) return;
      this.#result = joinGroups(shown, next);
    } catch (err) {
      if (ticket === this.#ticket) this.#error = messageOf(err);
    } finally {
      if (ticket === this.#ticket) this.#loadingMore = false;
    }
  }

  /** The project changed: the same view again (the sample keeps its seed). */
  refresh(): void {
    void this.load();
  }

  /** "Keep one": the others of the cluster leave training; no file is deleted. */
  async keepOne(keepId: number, otherIds: number[], kind: 'exact' | 'near'): Promise<void> {
    if (otherIds.length === 0) return;
    try {
      const r = await this.#api.call('curation.keepOne', { keepId, otherIds, kind });
      this.#message = `Kept one; excluded ${plural(r.changed, 'other copy', 'other copies')} from training. Undo in the Library.`;
      await this.load();
    } catch (err) {
      this.#error = messageOf(err);
    }
  }
}

/** A duplicate view's groups so far and its next page, as one result (other views: the next one). */
function joinGroups(shown: LookResult, next: LookResult): LookResult {
  if (shown.kind === 'exact' && next.kind === 'exact') return { kind: 'exact', data: appendClusterPage(shown.data, next.data, (c) => c.sha256) };
  if (shown.kind === 'conflicts' && next.kind === 'conflicts') {
    return { kind: 'conflicts', data: appendClusterPage(shown.data, next.data, (c) => c.sha256) };
  }
  if (shown.kind === 'near' && next.kind === 'near') {
    return { kind: 'near', data: appendClusterPage(shown.data, next.data, (c) => c.suggestedKeepId) };
  }
  return next;
}
