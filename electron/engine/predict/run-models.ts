// Which trained models answer for a run, by the rule shared with ensembles and export:
// a single run or a member answers with its own best checkpoint; an ensemble with the
// average of its members' probabilities, each member at its best checkpoint. Checked
// before anything is decoded, so a run that cannot predict is refused at once.
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { RunsRepo, type Run } from '../store/runs-repo.js';
import type { BackendPreference } from '../train/backend/select-backend.js';

export interface PredictingModel {
  runId: number;
  runName: string;
  kind: Run['kind'];
  /** The runs whose best checkpoints are loaded: the run itself, or an ensemble's members. */
  memberRunIds: number[];
  /** The backend the run (or its first member) trained on, so predictions repeat its evaluation's arithmetic. */
  backend: BackendPreference;
}

function runBackend(run: Run): BackendPreference {
  const b = (run.config as { backend?: unknown } | null)?.backend;
  return b === 'tensorflow-gpu' || b === 'tensorflow' || b === 'wasm' || b === 'cpu' ? b : 'auto';
}

export function resolvePredictingModel(db: Database.Database, runId: number): PredictingModel {
  const runs = new RunsRepo(db);
  const run = runs.get(runId);
  if (!run) throw new ApiError('not_found', `run ${runId} does not exist`, 'runId');
  if (run.kind !== 'ensemble') {
    if (!runs.checkpoint(runId, 'best')) {
      throw new ApiError('not_found', `run ${runId} has no saved model yet (no best checkpoint): it has not finished a validated epoch`, 'runId');
    }
    return { runId, runName: run.name, kind: run.kind, memberRunIds: [runId], backend: runBackend(run) };
  }
  const members = runs.members(runId);
  if (members.length === 0) throw new ApiError('conflict', `ensemble run ${runId} has no members`, 'runId');
  const unsaved = members.filter((m) => !runs.checkpoint(m.id, 'best'));
  if (unsaved.length > 0) {
    throw new ApiError(
      'conflict',
      `ensemble run ${runId} is not complete: member run${unsaved.length === 1 ? '' : 's'} ${unsaved.map((m) => m.id).join(', ')} ha${unsaved.length === 1 ? 's' : 've'} no saved model yet`,
      'runId',
    );
  }
  return { runId, runName: run.name, kind: 'ensemble', memberRunIds: members.map((m) => m.id), backend: runBackend(members[0]!) };
}
