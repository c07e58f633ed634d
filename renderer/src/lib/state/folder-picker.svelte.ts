// "Choose a folder": the system dialog inside the desktop app, the app's own folder
// browser (built on fs.list) in a browser. Views call pick() and await a path or null.
import type { HoldoutClient } from '../api/client.js';

export type PickMode = 'folder' | 'table';

export interface PickRequest {
  title: string;
  /** 'table' lets the user choose a CSV/JSON file instead of a folder. */
  mode: PickMode;
  /** Where the browser starts: a typed path, else the home folder. */
  start: string;
  /** Extra advice shown in the browser, e.g. "choose an empty folder". */
  hint?: string;
}

export class FolderPicker {
  readonly #api: HoldoutClient;
  #request = $state.raw<PickRequest | null>(null);
  #resolve: ((path: string | null) => void) | null = null;

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  /** The question the in-app browser is answering now, if any. */
  get request(): PickRequest | null {
    return this.#request;
  }

  /** Whether this shell can choose a file of this kind at all (the desktop dialog picks folders only). */
  canPick(mode: PickMode): boolean {
    return mode === 'folder' || this.#api.shell === 'web';
  }

  async pick(request: PickRequest): Promise<string | null> {
    if (this.#api.shell === 'electron') {
      const r = await this.#api.call('dialog.pickFolder', { title: request.title });
      return r.path;
    }
    this.#resolve?.(null);
    this.#request = request;
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** The in-app browser's answer. */
  answer(path: string | null): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    this.#request = null;
    resolve?.(path);
  }
}
