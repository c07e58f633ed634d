// The Library's review of suggested labels (images added from the Predict screen with
// the model's predicted class kept as a suggestion). Confirming is the ordinary,
// undoable label action (labels.assign); dismissing clears only the suggestion. The list
// is re-read after each action and whenever the project changes.
import type { Response } from '../../../../electron/api/contract.js';
import type { HoldoutClient } from '../api/client.js';
import { messageOf } from '../errors.js';

export type SuggestionView = Response<'predict.suggestions'>['items'][number];

/** Shown at once; the rest is reached by confirming or dismissing these. */
const PAGE = 50;

export class SuggestionsState {
  readonly #api: HoldoutClient;
  #total = $state(0);
  #items = $state.raw<SuggestionView[]>([]);
  #open = $state(false);
  #error = $state<string | null>(null);
  #working = $state(false);

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  get total(): number {
    return this.#total;
  }
  get items(): SuggestionView[] {
    return this.#items;
  }
  get open(): boolean {
    return this.#open;
  }
  get error(): string | null {
    return this.#error;
  }
  get working(): boolean {
    return this.#working;
  }

  toggle(): void {
    this.#open = !this.#open;
  }

  async load(): Promise<void> {
    try {
      const r = await this.#api.call('predict.suggestions', { offset: 0, limit: PAGE });
      this.#total = r.total;
      this.#items = r.items;
      if (r.total === 0) this.#open = false;
    } catch (err) {
      this.#error = messageOf(err);
    }
  }

  /** Makes the suggested class the images' label (undoable like any label); returns whether it was saved. */
  async confirm(items: readonly SuggestionView[]): Promise<boolean> {
    return this.#act(async () => {
      // One labels.assign per class: each is one undoable step in the history.
      const byClass = new Map<number, number[]>();
      for (const s of items) byClass.set(s.suggestedClassId, [...(byClass.get(s.suggestedClassId) ?? []), s.imageId]);
      for (const [classId, imageIds] of byClass) await this.#api.call('labels.assign', { imageIds, classId });
    });
  }

  async dismiss(items: readonly SuggestionView[]): Promise<boolean> {
    return this.#act(async () => {
      await this.#api.call('predict.dismissSuggestions', { imageIds: items.map((s) => s.imageId) });
    });
  }

  async #act(work: () => Promise<void>): Promise<boolean> {
    if (this.#working) return false;
    this.#working = true;
    this.#error = null;
    try {
      await work();
      return true;
    } catch (err) {
      this.#error = messageOf(err);
      return false;
    } finally {
      this.#working = false;
      await this.load();
    }
  }
}
