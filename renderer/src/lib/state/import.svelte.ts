// One import from start to report: the source the user chose, live progress from
// `import.progress`, the summary from `import.finished` and the full list of bad
// files. A reloaded window picks up a running import through `import.active`.
import type { ImportError, ImportProgress, ImportSource, ImportSummary } from '../../../../electron/api/schemas.js';
import type { HoldoutClient } from '../api/client.js';
import { kindForDroppedPath, sourceOf, type SourceKind } from './import-source.js';

export type ImportPhase = 'idle' | 'starting' | 'running' | 'finished';

export class ImportState {
  readonly #api: HoldoutClient;
  #phase = $state<ImportPhase>('idle');
  #importId = $state<number | null>(null);
  #progress = $state.raw<ImportProgress | null>(null);
  #summary = $state.raw<ImportSummary | null>(null);
  #errors = $state.raw<ImportError[]>([]);
  #startError = $state.raw<unknown>(null);
  #cancelling = $state(false);
  #dialogOpen = $state(false);
  /** The form's choice, kept between openings of the dialog. */
  #kind = $state<SourceKind>('classes');
  #path = $state('');
  /** Events that came before import.start answered (a tiny import can finish first). */
  readonly #early = new Map<number, ImportSummary>();
  readonly #unsubscribe: Array<() => void> = [];

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  get phase(): ImportPhase {
    return this.#phase;
  }
  get importId(): number | null {
    return this.#importId;
  }
  get progress(): ImportProgress | null {
    return this.#progress;
  }
  get summary(): ImportSummary | null {
    return this.#summary;
  }
  /** The bad files: the full list once fetched, the summary's until then. */
  get errors(): ImportError[] {
    return this.#errors;
  }
  /** Why import.start refused (an ApiError naming the field), if it did. */
  get startError(): unknown {
    return this.#startError;
  }
  get cancelling(): boolean {
    return this.#cancelling;
  }
  get dialogOpen(): boolean {
    return this.#dialogOpen;
  }
  get kind(): SourceKind {
    return this.#kind;
  }
  set kind(kind: SourceKind) {
    this.#kind = kind;
    this.#startError = null;
  }
  get path(): string {
    return this.#path;
  }
  set path(path: string) {
    this.#path = path;
    this.#startError = null;
  }
  get running(): boolean {
    return this.#phase === 'starting' || this.#phase === 'running';
  }

  /** Listens for progress and results; returns the function that stops listening. */
  connect(): () => void {
    this.#unsubscribe.push(
      this.#api.on('import.progress', (p) => this.#onProgress(p)),
      this.#api.on('import.finished', (s) => this.#onFinished(s)),
      this.#api.onReconnect(() => void this.restore()),
    );
    return () => {
      for (const off of this.#unsubscribe.splice(0)) off();
    };
  }

  /** After a reload (or a dropped event stream): show the import that is running, if any. */
  async restore(): Promise<void> {
    let active: ImportProgress | null;
    try {
      active = await this.#api.call('import.active', {});
    } catch {
      return;
    }
    if (active) {
      if (this.#phase === 'finished' && this.#importId === active.importId) return;
      this.#importId = active.importId;
      this.#progress = active;
      this.#phase = 'running';
      this.#dialogOpen = true;
    } else if (this.running && this.#importId !== null) {
      // It ended while we were not listening: fetch what went wrong, show it as finished.
      await this.#finishWithoutSummary(this.#importId);
    }
  }

  openDialog(): void {
    if (this.#phase === 'finished') this.#reset();
    this.#dialogOpen = true;
  }

  /** A folder or CSV was dropped on the window: open the dialog with it filled in. */
  openWithPath(path: string): void {
    this.#kind = kindForDroppedPath(path, this.#kind);
    this.#path = path;
    this.openDialog();
  }

  /** Hides the dialog; a running import carries on (the top bar shows it). */
  hideDialog(): void {
    this.#dialogOpen = false;
    if (this.#phase === 'finished') this.#reset();
  }

  clearStartError(): void {
    this.#startError = null;
  }

  /** Starts importing what the form says. */
  startFromForm(): Promise<boolean> {
    return this.start(sourceOf(this.#kind, this.#path));
  }

  async start(source: ImportSource): Promise<boolean> {
    if (this.running) return false;
    this.#reset();
    this.#phase = 'starting';
    this.#dialogOpen = true;
    try {
      const { importId } = await this.#api.call('import.start', { source });
      this.#importId = importId;
      const early = this.#early.get(importId);
      this.#early.clear();
      if (early) await this.#showSummary(early);
      else if (this.#phase === 'starting') this.#phase = 'running';
      return true;
    } catch (err) {
      this.#phase = 'idle';
      this.#startError = err;
      return false;
    }
  }

  async cancel(): Promise<void> {
    if (this.#importId === null || !this.running) return;
    this.#cancelling = true;
    try {
      await this.#api.call('import.cancel', { importId: this.#importId });
    } catch (err) {
      this.#cancelling = false;
      this.#startError = err;
    }
  }

  #onProgress(p: ImportProgress): void {
    if (this.#phase === 'starting' && this.#importId === null) {
      this.#progress = p;
      return;
    }
    if (this.#importId === p.importId && this.#phase === 'running') {
      this.#progress = p;
      return;
    }
    if (this.#phase === 'idle' && this.#importId === null) {
      // Started elsewhere (another window, a reload race): show it in the top bar.
      this.#importId = p.importId;
      this.#progress = p;
      this.#phase = 'running';
    }
  }

  #onFinished(s: ImportSummary): void {
    if (this.#phase === 'starting' && this.#importId === null) {
      this.#early.set(s.importId, s);
      return;
    }
    if (this.#importId === s.importId && this.running) void this.#showSummary(s);
  }

  async #showSummary(s: ImportSummary): Promise<void> {
    this.#summary = s;
    this.#errors = s.errors;
    this.#phase = 'finished';
    this.#cancelling = false;
    this.#dialogOpen = true;
    await this.#loadErrors(s.importId);
  }

  async #finishWithoutSummary(importId: number): Promise<void> {
    this.#phase = 'finished';
    this.#cancelling = false;
    await this.#loadErrors(importId);
  }

  async #loadErrors(importId: number): Promise<void> {
    try {
      const r = await this.#api.call('import.errors', { importId });
      if (this.#importId === importId && r.errors.length >= this.#errors.length) this.#errors = r.errors;
    } catch {
      // The summary's list stays.
    }
  }

  #reset(): void {
    this.#phase = 'idle';
    this.#importId = null;
    this.#progress = null;
    this.#summary = null;
    this.#errors = [];
    this.#startError = null;
    this.#cancelling = false;
  }
}
