// The Export dialog's state: the chosen folder, the export running in the worker (its
// progress from `export.progress`), and the result with its parity check.
import type { HoldoutClient } from '../../lib/api/client.js';
import { messageOf } from '../../lib/errors.js';
import type { ParityView } from './export-text.js';

export class ExportState {
  readonly #api: HoldoutClient;
  readonly runId: number;
  outDir = $state('');
  busy = $state(false);
  phase = $state<string | null>(null);
  error = $state<string | null>(null);
  /** The field the error is about ('outDir' shows it under the folder). */
  errorField = $state<string | null>(null);
  result = $state.raw<{ outDir: string; files: string[]; parity: ParityView } | null>(null);

  constructor(api: HoldoutClient, runId: number) {
    this.#api = api;
    this.runId = runId;
  }

  async start(): Promise<void> {
    if (this.busy) return;
    if (this.outDir.trim() === '') {
      this.error = 'Choose a folder to export into.';
      this.errorField = 'outDir';
      return;
    }
    this.busy = true;
    this.error = null;
    this.errorField = null;
    this.result = null;
    this.phase = 'loading';
    const stop = this.#api.on('export.progress', (e) => {
      if (e.runId === this.runId && e.phase !== 'done' && e.phase !== 'failed') this.phase = e.phase;
    });
    try {
      this.result = await this.#api.call('export.run', { runId: this.runId, outDir: this.outDir.trim() });
    } catch (err) {
      this.error = messageOf(err);
      this.errorField = (err as { field?: string }).field ?? null;
    } finally {
      stop();
      this.busy = false;
      this.phase = null;
    }
  }
}
