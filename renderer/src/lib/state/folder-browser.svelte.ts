// The folder browser of the browser UI (where there is no system dialog): one folder's
// sub-folders and images from fs.list, its parent, and the path typed by hand.
import type { Response } from '../../../../electron/api/contract.js';
import type { HoldoutClient } from '../api/client.js';
import { messageOf } from '../errors.js';
import { isImageName, isTableName } from '../paths.js';

type Entry = Response<'fs.list'>['entries'][number];

/** fs.list stops after this many entries (a folder of 100,000 photos stays quick). */
export const LIST_CAP = 2000;

export class FolderBrowserState {
  readonly #api: HoldoutClient;
  #dir = $state('');
  #parent = $state<string | null>(null);
  #entries = $state.raw<Entry[]>([]);
  #loading = $state(false);
  #error = $state<string | null>(null);
  #folders = $derived(this.#entries.filter((e) => e.isDir));
  #files = $derived(this.#entries.filter((e) => !e.isDir));
  #imageCount = $derived(this.#files.filter((e) => isImageName(e.name)).length);
  #tables = $derived(this.#files.filter((e) => isTableName(e.name)));
  #request = 0;

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  get dir(): string {
    return this.#dir;
  }
  get parent(): string | null {
    return this.#parent;
  }
  get folders(): Entry[] {
    return this.#folders;
  }
  get tables(): Entry[] {
    return this.#tables;
  }
  get imageCount(): number {
    return this.#imageCount;
  }
  /** The listing was cut at the cap: there are more images than it shows. */
  get capped(): boolean {
    return this.#entries.length >= LIST_CAP;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Shows `dir`; on failure keeps the current folder and says why. */
  async go(dir: string): Promise<boolean> {
    const request = ++this.#request;
    this.#loading = true;
    this.#error = null;
    try {
      const r = await this.#api.call('fs.list', { dir });
      if (request !== this.#request) return false;
      this.#dir = r.dir;
      this.#parent = r.parent;
      this.#entries = [...r.entries].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
      return true;
    } catch (err) {
      if (request === this.#request) this.#error = messageOf(err);
      return false;
    } finally {
      if (request === this.#request) this.#loading = false;
    }
  }

  async up(): Promise<void> {
    if (this.#parent !== null) await this.go(this.#parent);
  }
}
