// The contract's predict methods over the engine. Predicting runs in a worker (like an
// evaluation), one prediction at a time per project, its progress sent as
// `predict.progress`. Adding images goes through the importer; it waits for no other
// import and is refused while one runs. Suggestions are read and dismissed here;
// confirming one is the ordinary `labels.assign`.
import path from 'node:path';
import type { EventSink, Handlers } from '../../api/contract.js';
import { ApiError } from '../../api/errors.js';
import { addToProject } from '../predict/add-to-project.js';
import { startPrediction, type PredictionHandle } from '../predict/predict-host.js';
import { writePredictionsCsv } from '../predict/predictions-csv.js';
import { resolvePredictingModel } from '../predict/run-models.js';
import { SuggestionsRepo } from '../predict/suggestions.js';
import type { Project } from '../project/project.js';
import type { TrainerLauncher } from '../train/train-host.js';

export type PredictHandlers = Pick<
  Handlers,
  'predict.run' | 'predict.addToProject' | 'predict.exportCsv' | 'predict.suggestions' | 'predict.dismissSuggestions'
>;

export interface PredictService {
  handlers: PredictHandlers;
  /** Ends a prediction in flight (the project closes); its call is refused. */
  shutdown(): Promise<void>;
}

export function createPredictHandlers(
  requireProject: () => Project,
  emit: EventSink,
  opts: { launcher?: TrainerLauncher; importBusy(): boolean },
): PredictService {
  let inFlight: PredictionHandle | null = null;
  let adding = false;

  const handlers: PredictHandlers = {
    'predict.run': async ({ runId, paths, thumbnails }) => {
      const project = requireProject();
      // An unknown run, one without a saved model, or a relative path is refused before a worker starts.
      resolvePredictingModel(project.db, runId);
      const relative = paths.find((p) => !path.isAbsolute(p));
      if (relative !== undefined) throw new ApiError('invalid_request', `paths must be absolute; "${relative}" is relative`, 'paths');
      if (inFlight) throw new ApiError('busy', 'a prediction is running already: wait for it to finish', 'runId');
      const progress = (phase: 'reading' | 'features' | 'predicting' | 'done' | 'failed', done: number, total: number, error: string | null = null) =>
        emit('predict.progress', { runId, phase, done, total, error });
      const handle = startPrediction({
        request: { projectDir: project.dir, runId, paths, thumbnails },
        onProgress: (phase, done, total) => progress(phase, done, total),
        ...(opts.launcher ? { launcher: opts.launcher } : {}),
      });
      inFlight = handle;
      try {
        const outcome = await handle.done;
        progress('done', outcome.summary.images, outcome.summary.images);
        return outcome;
      } catch (err) {
        progress('failed', 0, 0, (err as Error).message);
        throw err;
      } finally {
        if (inFlight === handle) inFlight = null;
      }
    },
    'predict.addToProject': async ({ runId, paths, suggestions }) => {
      const project = requireProject();
      if (opts.importBusy() || adding) throw new ApiError('busy', 'an import is running: wait for it to finish, then add the images');
      adding = true;
      try {
        // No import.progress events: the Import chip would wait for an import.finished of its own.
        const outcome = await addToProject(project, { runId, paths, suggestions });
        if (!project.isClosed) emit('project.changed', { reason: 'import' });
        return outcome;
      } finally {
        adding = false;
      }
    },
    'predict.exportCsv': ({ model, results }) => writePredictionsCsv(requireProject().dir, { model, results }),
    'predict.suggestions': ({ offset, limit }) => {
      const repo = new SuggestionsRepo(requireProject().db);
      return { total: repo.count(), items: repo.list(offset, limit) };
    },
    'predict.dismissSuggestions': ({ imageIds }) => {
      const dismissed = new SuggestionsRepo(requireProject().db).dismiss(imageIds);
      if (dismissed > 0) emit('project.changed', { reason: 'suggestions' });
      return { dismissed };
    },
  };

  return {
    handlers,
    async shutdown() {
      const handle = inFlight;
      inFlight = null;
      if (!handle) return;
      handle.kill();
      await handle.done.catch(() => undefined);
    },
  };
}
