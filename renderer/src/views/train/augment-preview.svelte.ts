// The augmentation preview: one of the user's own images and what training might make of
// it with the strengths in the form. Asked again (after a short pause, so typing a number
// or dragging does not send a request per keystroke) whenever the strengths change; the
// same random draw is kept until "New draw", so a changed strength is seen on the same
// draws. An answer that arrives after a newer question is dropped.
import type { Response } from '../../../../electron/api/contract.js';
import type { HoldoutClient } from '../../lib/api/client.js';
import { messageOf } from '../../lib/errors.js';

type Tile = Response<'curation.sample'>['items'][number];
export type PreviewAugmentation = 'none' | Record<string, number | boolean>;

/** The original and seven augmented versions: two rows of four. */
export const PREVIEW_COUNT = 8;
/** Pause after the last change before asking (ms). */
export const PREVIEW_DEBOUNCE_MS = 300;
/** Images drawn at once to step through with "Another image". */
const POOL_SIZE = 40;

export class AugmentPreviewState {
  readonly #api: HoldoutClient;
  #pool = $state.raw<Tile[]>([]);
  #index = $state(0);
  #seed = $state<number | null>(null);
  #images = $state.raw<string[]>([]);
  #loading = $state(false);
  #error = $state<string | null>(null);
  #augmentation: PreviewAugmentation | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #asked = 0;

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  /** PNG data URLs: the original first. */
  get images(): string[] {
    return this.#images;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get error(): string | null {
    return this.#error;
  }
  get seed(): number | null {
    return this.#seed;
  }
  /** Which image of the drawn ones is shown, for the "image 3 of 40" line. */
  get position(): { index: number; count: number } {
    return { index: this.#index, count: this.#pool.length };
  }

  /** The strengths changed (null: the form has an invalid one, so nothing is asked). */
  setAugmentation(augmentation: PreviewAugmentation | null): void {
    if (augmentation === null) return;
    if (JSON.stringify(augmentation) === JSON.stringify(this.#augmentation)) return;
    this.#augmentation = augmentation;
    this.#schedule(PREVIEW_DEBOUNCE_MS);
  }

  /** The next of the drawn images, with the same draw. */
  anotherImage(): void {
    if (this.#pool.length === 0) return;
    this.#index = (this.#index + 1) % this.#pool.length;
    this.#schedule(0);
  }

  /** New random versions of the same image. */
  newDraw(): void {
    this.#seed = null;
    this.#schedule(0);
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#asked++;
  }

  #schedule(delay: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#ask();
    }, delay);
  }

  async #ask(): Promise<void> {
    const augmentation = this.#augmentation;
    if (augmentation === null) return;
    const asked = ++this.#asked;
    this.#loading = true;
    try {
      if (this.#pool.length === 0) {
        const sample = await this.#api.call('curation.sample', { filter: { status: 'ok' }, limit: POOL_SIZE });
        if (asked !== this.#asked) return;
        this.#pool = sample.items;
        this.#index = 0;
      }
      const image = this.#pool[this.#index];
      if (!image) {
        this.#images = [];
        this.#error = 'There are no images to preview yet: import some first.';
        return;
      }
      const answer = await this.#api.call('augment.preview', {
        imageId: image.id,
        augmentation,
        count: PREVIEW_COUNT,
        ...(this.#seed === null ? {} : { seed: this.#seed }),
      });
      if (asked !== this.#asked) return;
      this.#images = answer.images;
      this.#seed = answer.seed;
      this.#error = null;
    } catch (err) {
      if (asked === this.#asked) this.#error = messageOf(err);
    } finally {
      if (asked === this.#asked) this.#loading = false;
    }
  }
}
