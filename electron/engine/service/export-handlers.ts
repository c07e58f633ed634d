// The contract's export method over the engine. The export and its parity check run in a
// worker; progress goes out as `export.progress`. Obvious refusals (an unknown run, no
// saved model, an outDir that is a file or holds the user's files) are given at once.
import type { EventSink, Handlers } from '../../api/contract.js';
import { ApiError } from '../../api/errors.js';
import { startExport, type ExportHandle } from '../export/export-host.js';
import { checkOutDir } from '../export/export-folder.js';
import { checkExportable } from '../export/export-members.js';
import type { Project } from '../project/project.js';
import type { TrainerLauncher } from '../train/train-host.js';

export type ExportHandlers = Pick<Handlers, 'export.run'>;

export interface ExportService {
  handlers: ExportHandlers;
  /** Ends every export worker (the project closes). */
  shutdown(): Promise<void>;
}

export function createExportHandlers(requireProject: () => Project, emit: EventSink, launcher?: TrainerLauncher): ExportService {
  const inFlight = new Map<string, ExportHandle>();

  const handlers: ExportHandlers = {
    'export.run': async ({ runId, outDir }) => {
      const project = requireProject();
      checkExportable(project.db, runId);
      const target = checkOutDir(outDir);
      if (inFlight.has(target)) throw new ApiError('busy', `an export into ${target} is running already: wait for it to finish`, 'outDir');
      const progress = (phase: 'loading' | 'writing' | 'in-app' | 'example' | 'finishing' | 'done' | 'failed', done: number, total: number, error: string | null = null) =>
        emit('export.progress', { runId, outDir: target, phase, done, total, error });
      const handle = startExport({
        request: { projectDir: project.dir, runId, outDir: target },
        onProgress: (phase, done, total) => progress(phase, done, total),
        ...(launcher ? { launcher } : {}),
      });
      inFlight.set(target, handle);
      try {
        const result = await handle.done;
        if (result.parity.passed) progress('done', 1, 1);
        else progress('failed', 1, 1, `the parity check failed: ${result.parity.error ?? 'unknown reason'}`);
        return { outDir: result.outDir, files: result.files, parity: result.parity };
      } catch (err) {
        progress('failed', 0, 0, (err as Error).message);
        throw err;
      } finally {
        inFlight.delete(target);
      }
    },
  };

  return {
    handlers,
    async shutdown() {
      const all = [...inFlight.values()];
      inFlight.clear();
      for (const h of all) h.kill();
      await Promise.allSettled(all.map((h) => h.done));
    },
  };
}
