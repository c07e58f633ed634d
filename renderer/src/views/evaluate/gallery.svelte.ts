// The gallery behind a confusion-matrix cell: one page of its images at a time from
// evaluate.images, re-read in place after a label is fixed (the tile then shows its new
// label), dropped when another evaluation is shown.
import type { HoldoutClient } from '../../lib/api/client.js';
import { messageOf } from '../../lib/errors.js';
import type { EvaluatedImageView } from './evaluate-text.js';
import { clampOffset, GALLERY_PAGE_SIZE, stepOffset } from './gallery-paging.js';

export interface GalleryQuery {
  evaluationId: number;
  actual: string;
  predicted: string;
}

export class GalleryState {
  readonly #api: HoldoutClient;

  #query = $state.raw<GalleryQuery | null>(null);
  #offset = $state(0);
  #total = $state(0);
  #images = $state.raw<EvaluatedImageView[]>([]);
  #loading = $state(false);
  #error = $state<string | null>(null);
  /** Which request is newest: a slow older page never replaces a newer one. */
  #asked = 0;

  readonly limit = GALLERY_PAGE_SIZE;

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  get query(): GalleryQuery | null {
    return this.#query;
  }
  get offset(): number {
    return this.#offset;
  }
  get total(): number {
    return this.#total;
  }
  get images(): EvaluatedImageView[] {
    return this.#images;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get error(): string | null {
    return this.#error;
  }

  async open(query: GalleryQuery): Promise<void> {
    this.#query = query;
    this.#offset = 0;
    this.#total = 0;
    this.#images = [];
    await this.#load();
  }

  close(): void {
    ++this.#asked;
    this.#query = null;
    this.#images = [];
    this.#total = 0;
    this.#offset = 0;
    this.#error = null;
    this.#loading = false;
  }

  async page(direction: 1 | -1): Promise<void> {
    if (!this.#query) return;
    const next = stepOffset({ offset: this.#offset, limit: this.limit, total: this.#total }, direction);
    if (next === this.#offset) return;
    this.#offset = next;
    await this.#load();
  }

  /** The shown page again (after a label changed). */
  async refresh(): Promise<void> {
    if (this.#query) await this.#load();
  }

  async #load(): Promise<void> {
    const query = this.#query;
    if (!query) return;
    const asked = ++this.#asked;
    this.#loading = true;
    try {
      const res = await this.#api.call('evaluate.images', { ...query, offset: this.#offset, limit: this.limit });
      if (asked !== this.#asked) return;
      this.#total = res.total;
      this.#images = res.images;
      this.#error = null;
      // The cell can only shrink if the evaluation was replaced; stay on a page that exists.
      const clamped = clampOffset(this.#offset, res.total, this.limit);
      if (clamped !== this.#offset) {
        this.#offset = clamped;
        await this.#load();
      }
    } catch (err) {
      if (asked === this.#asked) this.#error = messageOf(err);
    } finally {
      if (asked === this.#asked) this.#loading = false;
    }
  }
}
