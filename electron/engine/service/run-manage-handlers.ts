// Renaming, annotating and deleting runs. A deletion removes the run's rows (epochs,
// batches, checkpoint rows, saved evaluations: the schema cascades) and then its
// checkpoints/<id>/ folder on disk. The lockbox ledger keeps its rows (it has no
// foreign key to runs): a use of the test set stays counted after the run is gone.
import fs from 'node:fs';
import path from 'node:path';
import type { EventSink, Handlers } from '../../api/contract.js';
import { ApiError } from '../../api/errors.js';
import type { Project } from '../project/project.js';
import { RunsRepo, type Run } from '../store/runs-repo.js';
import { runRowOf } from './run-row.js';

export type RunManageHandlers = Pick<Handlers, 'runs.update' | 'runs.delete'>;

/** Where training writes a run's checkpoints (run-training.ts), relative to the project. */
const CHECKPOINTS_DIR = 'checkpoints';

/** Total size of the files under a folder (0 when it does not exist). */
function folderBytes(dir: string): number {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let total = 0;
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

export function createRunManageHandlers(
  requireProject: () => Project,
  emit: EventSink,
  busy: { trainingRunId(): number | null; isEvaluating(runId: number): boolean },
): RunManageHandlers {
  function requireRun(repo: RunsRepo, runId: number): Run {
    const run = repo.get(runId);
    if (!run) throw new ApiError('not_found', `run ${runId} does not exist`, 'runId');
    return run;
  }

  return {
    'runs.update': ({ runId, name, note }) => {
      const project = requireProject();
      const repo = new RunsRepo(project.db);
      requireRun(repo, runId);
      project.db.transaction(() => {
        if (name !== undefined) repo.rename(runId, name);
        if (note !== undefined) repo.annotate(runId, note);
      })();
      emit('project.changed', { reason: 'runs' });
      return { run: runRowOf(project.db, requireRun(repo, runId)) };
    },

    'runs.delete': ({ runId }) => {
      const project = requireProject();
      const repo = new RunsRepo(project.db);
      const run = requireRun(repo, runId);
      if (run.kind === 'member' && run.parentRunId !== null) {
        const parent = repo.get(run.parentRunId);
        throw new ApiError(
          'conflict',
          `run ${runId} is one member of the ensemble "${parent?.name ?? run.parentRunId}" (run ${run.parentRunId}): ` +
            'a member is deleted with its ensemble, not alone. Delete the ensemble instead.',
          'runId',
        );
      }
      const all = [run, ...repo.members(runId)];
      for (const r of all) {
        if (r.status === 'running' || r.status === 'stopping' || busy.trainingRunId() === r.id) {
          throw new ApiError('busy', `run ${r.id} is training: stop it before deleting it`, 'runId');
        }
        if (busy.isEvaluating(r.id)) throw new ApiError('busy', `run ${r.id} is being evaluated: wait for the evaluation to finish before deleting it`, 'runId');
      }
      const deleted = repo.delete(runId);
      // The rows are gone; now the files. Each run's checkpoints live in checkpoints/<id>/
      // (ids are never reused, so nothing else can be in there), plus any path a row named.
      const root = path.join(project.dir, CHECKPOINTS_DIR);
      const targets = new Set(deleted.runIds.map((id) => path.join(root, String(id))));
      for (const rel of deleted.checkpointPaths) {
        const abs = path.join(project.dir, rel);
        if (![...targets].some((t) => abs.startsWith(t + path.sep))) targets.add(abs);
      }
      let bytesFreed = 0;
      const failed: string[] = [];
      for (const target of targets) {
        try {
          const bytes = folderBytes(target);
          fs.rmSync(target, { recursive: true, force: true });
          bytesFreed += bytes;
        } catch (err) {
          failed.push(`${target} (${(err as Error).message})`);
        }
      }
      emit('project.changed', { reason: 'runs' });
      if (failed.length > 0) {
        throw new ApiError('io_error', `run ${runId} was deleted, but these checkpoint files could not be removed: ${failed.join('; ')}. Delete them by hand.`);
      }
      return { deleted: runId, bytesFreed };
    },
  };
}
