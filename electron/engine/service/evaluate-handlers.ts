// The contract's evaluation methods over the engine. Scoring runs in a worker (never in
// this process, which serves the window); its progress goes out as `evaluate.progress`,
// and each evaluation is saved, so evaluate.get and evaluate.images answer from the
// database later. Obvious refusals (an unknown run, no saved model, the test set without
// confirmation) are given at once, before a worker starts.
import type { EventSink, Handlers } from '../../api/contract.js';
import { ApiError } from '../../api/errors.js';
import { trainedMembers } from '../evaluate/ensemble-members.js';
import { startEvaluation, type EvaluationHandle } from '../evaluate/evaluate-host.js';
import { lockboxStatus } from '../evaluate/ledger.js';
import type { Project } from '../project/project.js';
import { checkLockboxConsent } from '../splits/lockbox-rules.js';
import { EvaluationsRepo } from '../store/evaluations-repo.js';
import { RunsRepo } from '../store/runs-repo.js';
import type { TrainerLauncher } from '../train/train-host.js';

export type EvaluateHandlers = Pick<Handlers, 'evaluate.run' | 'evaluate.list' | 'evaluate.get' | 'evaluate.images'>;

export interface EvaluateService {
  handlers: EvaluateHandlers;
  /** Whether an evaluation of this run is in flight. */
  isEvaluating(runId: number): boolean;
  /** Ends every evaluation worker (the project closes); their calls are refused. */
  shutdown(): Promise<void>;
}

interface InFlight {
  runId: number;
  handle: EvaluationHandle;
}

export function createEvaluateHandlers(requireProject: () => Project, emit: EventSink, launcher?: TrainerLauncher): EvaluateService {
  /** Keyed by run and split: one evaluation of a run on a split at a time. */
  const inFlight = new Map<string, InFlight>();

  const handlers: EvaluateHandlers = {
    'evaluate.run': async ({ runId, split, confirm, confirmReuse }) => {
      const project = requireProject();
      const runs = new RunsRepo(project.db);
      const run = runs.get(runId);
      if (!run) throw new ApiError('not_found', `run ${runId} does not exist`, 'runId');
      // An ensemble has no checkpoint of its own: it needs each member's (refused, naming them).
      if (run.kind === 'ensemble') trainedMembers(project.db, run);
      else if (!runs.checkpoint(runId, 'best')) {
        throw new ApiError('not_found', `run ${runId} has no saved model yet (no best checkpoint): it has not finished a validated epoch`, 'runId');
      }
      // The lockbox's own rule, so a refusal costs no worker; the worker checks it again
      // when it opens the lockbox, counted under its transaction.
      if (split === 'test') checkLockboxConsent(lockboxStatus(project.db, run.splitVersionId).uses, { confirm, confirmReuse });
      const key = `${runId}:${split}`;
      if (inFlight.has(key)) throw new ApiError('busy', `run ${runId} is being evaluated on ${split} already: wait for that evaluation to finish`, 'runId');

      const progress = (phase: 'loading' | 'features' | 'predicting' | 'done' | 'failed', done: number, total: number, error: string | null = null) =>
        emit('evaluate.progress', { runId, split, phase, done, total, error });
      const handle = startEvaluation({
        request: {
          projectDir: project.dir,
          runId,
          split,
          ...(confirm === undefined ? {} : { confirm }),
          ...(confirmReuse === undefined ? {} : { confirmReuse }),
        },
        onProgress: (phase, done, total) => progress(phase, done, total),
        ...(launcher ? { launcher } : {}),
      });
      const entry: InFlight = { runId, handle };
      inFlight.set(key, entry);
      let evaluationId: number;
      try {
        evaluationId = await handle.done;
      } catch (err) {
        progress('failed', 0, 0, (err as Error).message);
        throw err;
      } finally {
        if (inFlight.get(key) === entry) inFlight.delete(key);
      }
      const saved = new EvaluationsRepo(project.db).get(evaluationId);
      if (!saved) throw new ApiError('internal', `evaluation ${evaluationId} was reported saved but is not in the database`);
      progress('done', saved.evaluated, saved.evaluated);
      if (!project.isClosed) emit('project.changed', { reason: 'evaluations' });
      return saved;
    },
    'evaluate.list': ({ runId }) => {
      const project = requireProject();
      if (runId !== undefined && !new RunsRepo(project.db).get(runId)) throw new ApiError('not_found', `run ${runId} does not exist`, 'runId');
      return { evaluations: new EvaluationsRepo(project.db).list(runId) };
    },
    'evaluate.get': ({ evaluationId }) => {
      const saved = new EvaluationsRepo(requireProject().db).get(evaluationId);
      if (!saved) throw new ApiError('not_found', `there is no saved evaluation ${evaluationId}`, 'evaluationId');
      return saved;
    },
    'evaluate.images': (request) => new EvaluationsRepo(requireProject().db).images(request),
  };

  return {
    handlers,
    isEvaluating: (runId) => [...inFlight.values()].some((e) => e.runId === runId),
    async shutdown() {
      const all = [...inFlight.values()];
      inFlight.clear();
      for (const e of all) e.handle.kill();
      await Promise.allSettled(all.map((e) => e.handle.done));
    },
  };
}
