// "Look at your data": which view shows, and its answer from the app. Each view is
// one call; the screen asks again when the project changes (a label, "keep one").
import type { Response } from '../../../../electron/api/contract.js';
import type { HoldoutClient } from '../api/client.js';
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
    this.#error = null;
    try {
      let result: LookResult;
      switch (view.kind) {
        case 'sample': {
          const data = await this.#api.call('curation.sample', { seed: this.#seed, limit: SAMPLE_SIZE });
          if (ticket === this.#ticket) this.#seed = data.seed;
          result = { kind: 'sample', data };
          break;
        }
        case 'extremes':
          result = {
            kind: 'extremes',
            data: await this.#api.call('curation.extremes', { measure: view.measure, end: view.end, limit: 40 }),
          };
          break;
        case 'histogram':
          result = { kind: 'histogram', data: await this.#api.call('curation.histogram', {}) };
          break;
        case 'exact':
          result = { kind: 'exact', data: await this.#api.call('curation.exactDuplicates', { limit: CLUSTERS_PER_PAGE }) };
          break;
        case 'near':
          result = {
            kind: 'near',
            data: await this.#api.call('curation.nearDuplicates', { threshold: this.#threshold, limit: CLUSTERS_PER_PAGE }),
          };
          break;
        case 'conflicts':
          result = { kind: 'conflicts', data: await this.#api.call('curation.conflicts', { limit: CLUSTERS_PER_PAGE }) };
          break;
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
