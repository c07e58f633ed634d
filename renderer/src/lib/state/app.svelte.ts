// The app's top-level state: which project is open, what shell this is, and whether
// the first contact with the app worked.
import type { Response } from '../../../../electron/api/contract.js';
import type { ProjectSummary } from '../../../../electron/api/schemas.js';
import type { HoldoutClient } from '../api/client.js';
import { messageOf } from '../errors.js';

type AppInfoView = Response<'app.info'>;

export class AppState {
  readonly api: HoldoutClient;
  #info = $state.raw<AppInfoView | null>(null);
  #project = $state.raw<ProjectSummary | null>(null);
  #ready = $state(false);
  #startError = $state<string | null>(null);

  constructor(api: HoldoutClient) {
    this.api = api;
  }

  get info(): AppInfoView | null {
    return this.#info;
  }
  get project(): ProjectSummary | null {
    return this.#project;
  }
  get ready(): boolean {
    return this.#ready;
  }
  get startError(): string | null {
    return this.#startError;
  }
  get homeDir(): string {
    return this.#info?.homeDir ?? '';
  }
  /** True inside the desktop app, which has real folder dialogs and drag and drop. */
  get isDesktop(): boolean {
    return this.api.shell === 'electron';
  }

  async init(): Promise<void> {
    try {
      const [info, project] = await Promise.all([
        this.api.call('app.info', {}),
        this.api.call('project.current', {}),
      ]);
      this.#info = info;
      this.#project = project;
      this.#startError = null;
    } catch (err) {
      this.#startError = messageOf(err);
    } finally {
      this.#ready = true;
    }
  }

  async create(dir: string, name?: string): Promise<void> {
    const request = name && name.trim() ? { dir, name: name.trim() } : { dir };
    this.#show(await this.api.call('project.create', request));
  }

  async open(dir: string): Promise<void> {
    this.#show(await this.api.call('project.open', { dir }));
  }

  async close(): Promise<void> {
    await this.api.call('project.close', {});
    this.#show(null);
  }

  /** Re-reads the open project's summary (its counts change on import). */
  /** Numbers refreshProject's requests: during an import they overlap, and answers can come back out of order. */
  #refreshSeq = 0;

  /** A project just created, opened or closed: a refresh asked for before it is no answer for it. */
  #show(project: ProjectSummary | null): void {
    this.#refreshSeq++;
    this.#project = project;
  }

  async refreshProject(): Promise<void> {
    const seq = ++this.#refreshSeq;
    try {
      const project = await this.api.call('project.current', {});
      // An older answer arriving after a newer one would put a stale count back on screen.
      if (seq === this.#refreshSeq) this.#project = project;
    } catch {
      // Keep what we have; the next change tries again.
    }
  }
}
