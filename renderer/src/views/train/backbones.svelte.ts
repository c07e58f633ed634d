// The backbones transfer learning can start from: the project's own and the bundled ones,
// importing a TensorFlow.js model folder (inspect it first, then copy it in), and the
// online catalog (download with progress). A failure is kept in words beside the action
// that caused it; an offline download says so plainly.
import type { EventPayload, Response } from '../../../../electron/api/contract.js';
import type { HoldoutClient } from '../../lib/api/client.js';
import { messageOf } from '../../lib/errors.js';
import { downloadFailureWords } from './backbone-words.js';

export type BackboneView = Response<'backbones.list'>['backbones'][number];
export type CatalogEntryView = Response<'backbones.catalog'>['entries'][number];
export type InspectionView = Response<'backbones.inspect'>;
export type DownloadProgressView = EventPayload<'backbones.progress'>;

export class BackbonesState {
  readonly #api: HoldoutClient;
  #list = $state.raw<BackboneView[]>([]);
  #defaultId = $state<string | null>(null);
  #listError = $state<string | null>(null);
  #catalog = $state.raw<CatalogEntryView[] | null>(null);
  #catalogError = $state<string | null>(null);
  #downloading = $state<string | null>(null);
  #progress = $state.raw<DownloadProgressView | null>(null);
  #downloadError = $state<{ id: string; message: string } | null>(null);
  #inspection = $state.raw<InspectionView | null>(null);
  #inspectedFolder = $state<string | null>(null);
  #importBusy = $state(false);
  #importError = $state<{ field: string | null; message: string } | null>(null);

  constructor(api: HoldoutClient) {
    this.#api = api;
  }

  get list(): BackboneView[] {
    return this.#list;
  }
  get defaultId(): string | null {
    return this.#defaultId;
  }
  get listError(): string | null {
    return this.#listError;
  }
  get catalog(): CatalogEntryView[] | null {
    return this.#catalog;
  }
  get catalogError(): string | null {
    return this.#catalogError;
  }
  /** The catalog id being downloaded now. */
  get downloading(): string | null {
    return this.#downloading;
  }
  get progress(): DownloadProgressView | null {
    return this.#progress;
  }
  get downloadError(): { id: string; message: string } | null {
    return this.#downloadError;
  }
  get inspection(): InspectionView | null {
    return this.#inspection;
  }
  get inspectedFolder(): string | null {
    return this.#inspectedFolder;
  }
  get importBusy(): boolean {
    return this.#importBusy;
  }
  get importError(): { field: string | null; message: string } | null {
    return this.#importError;
  }

  /** Follows download progress; returns how to stop. */
  connect(): () => void {
    return this.#api.on('backbones.progress', (p) => {
      if (p.id === this.#downloading) this.#progress = p;
    });
  }

  async load(): Promise<void> {
    try {
      const { backbones, defaultId } = await this.#api.call('backbones.list', {});
      this.#list = backbones;
      this.#defaultId = defaultId;
      this.#listError = null;
    } catch (err) {
      this.#listError = messageOf(err);
    }
  }

  async loadCatalog(): Promise<void> {
    try {
      const { entries } = await this.#api.call('backbones.catalog', {});
      this.#catalog = entries;
      this.#catalogError = null;
    } catch (err) {
      this.#catalogError = messageOf(err);
    }
  }

  /** Downloads a catalog model; its id when it is in the project, else null (the error is kept). */
  async download(entry: CatalogEntryView): Promise<string | null> {
    if (this.#downloading) return null;
    this.#downloading = entry.id;
    this.#progress = null;
    this.#downloadError = null;
    try {
      const info = await this.#api.call('backbones.download', { id: entry.id });
      await Promise.all([this.load(), this.loadCatalog()]);
      return info.id;
    } catch (err) {
      this.#downloadError = { id: entry.id, message: downloadFailureWords(entry.name, messageOf(err)) };
      return null;
    } finally {
      this.#downloading = null;
      this.#progress = null;
    }
  }

  /** Reads what a model folder offers, before importing it. */
  async inspect(folder: string): Promise<boolean> {
    this.#importBusy = true;
    this.#importError = null;
    this.#inspection = null;
    this.#inspectedFolder = null;
    try {
      this.#inspection = await this.#api.call('backbones.inspect', { folder });
      this.#inspectedFolder = folder;
      return true;
    } catch (err) {
      this.#importError = { field: 'folder', message: messageOf(err) };
      return false;
    } finally {
      this.#importBusy = false;
    }
  }

  /** Copies the inspected folder into the project; the new backbone's id, or null (the error is kept). */
  async importInspected(options: { featureLayer: string; name: string; inputSize: number | null }): Promise<string | null> {
    const folder = this.#inspectedFolder;
    if (!folder || this.#importBusy) return null;
    this.#importBusy = true;
    this.#importError = null;
    try {
      const info = await this.#api.call('backbones.import', {
        folder,
        ...(options.featureLayer ? { featureLayer: options.featureLayer } : {}),
        ...(options.name.trim() ? { name: options.name.trim() } : {}),
        ...(options.inputSize ? { inputSize: options.inputSize } : {}),
      });
      await this.load();
      this.cancelImport();
      return info.id;
    } catch (err) {
      const field = (err as { field?: unknown }).field;
      this.#importError = { field: typeof field === 'string' ? field : null, message: messageOf(err) };
      return null;
    } finally {
      this.#importBusy = false;
    }
  }

  cancelImport(): void {
    this.#inspection = null;
    this.#inspectedFolder = null;
    this.#importError = null;
  }
}
