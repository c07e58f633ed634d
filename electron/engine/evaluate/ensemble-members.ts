// An ensemble's members as evaluation, prediction and export need them: all trained.
// Kept apart from ensemble-scores.ts so a service can check before starting a worker
// without loading TensorFlow.js.
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { RunsRepo, type Run } from '../store/runs-repo.js';

/**
 * An ensemble's members, oldest first, each with a best checkpoint. Refused, naming the
 * run, when the run is not an ensemble, has no members, or a member has no model yet.
 */
export function trainedMembers(db: Database.Database, ensemble: Run): Run[] {
  if (ensemble.kind !== 'ensemble') throw new ApiError('invalid_request', `run ${ensemble.id} is not an ensemble`, 'run');
  const runs = new RunsRepo(db);
  const members = runs.members(ensemble.id);
  if (members.length === 0) throw new ApiError('conflict', `ensemble ${ensemble.id} has no members`, 'run');
  const untrained = members.filter((m) => !runs.checkpoint(m.id, 'best'));
  if (untrained.length > 0) {
    throw new ApiError(
      'conflict',
      `ensemble ${ensemble.id} is not fully trained: member${untrained.length > 1 ? 's' : ''} ${untrained.map((m) => m.id).join(', ')} ` +
        `${untrained.length > 1 ? 'have' : 'has'} no saved model yet; resume the ensemble to train them`,
      'run',
    );
  }
  return members;
}
