// The models an export holds: a single run's best checkpoint, or each member of an
// ensemble (whose prediction is the mean of its members' probabilities). Loaded once,
// both to be written out and to give the in-app probabilities the parity check compares.
// A small ViT's custom layers travel with the export (example/holdout-layers.js).
import type Database from 'better-sqlite3';
import type * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../api/errors.js';
import { RunsRepo, type Checkpoint, type Run } from '../store/runs-repo.js';
import { loadRunModel } from '../train/run/load-run-model.js';
import type { CheckpointState } from '../train/run/run-training.js';

export interface ExportMember {
  run: Run;
  model: tf.LayersModel;
  state: CheckpointState;
  checkpoint: Checkpoint;
}

export interface ExportModels {
  run: Run;
  members: ExportMember[];
  /** Class names in output order, the same for every member. */
  classes: string[];
  dispose(): void;
}

/** Refusals that need no model loaded: an unknown run, a run with nothing saved. Errors name `runId`. */
export function checkExportable(db: Database.Database, runId: number): { run: Run; memberRuns: Run[] } {
  const runs = new RunsRepo(db);
  const run = runs.get(runId);
  if (!run) throw new ApiError('not_found', `run ${runId} does not exist`, 'runId');
  const memberRuns = run.kind === 'ensemble' ? runs.members(runId) : [run];
  if (memberRuns.length === 0) throw new ApiError('conflict', `ensemble run ${runId} has no members to export`, 'runId');
  for (const m of memberRuns) {
    if (!runs.checkpoint(m.id, 'best')) {
      const who = m.id === runId ? `run ${runId}` : `member run ${m.id} of ensemble ${runId}`;
      throw new ApiError('not_found', `${who} has no saved model yet (no best checkpoint): let it finish a validated epoch first`, 'runId');
    }
  }
  return { run, memberRuns };
}

export async function loadExportModels(db: Database.Database, projectDir: string, runId: number): Promise<ExportModels> {
  const { run, memberRuns } = checkExportable(db, runId);
  const members: ExportMember[] = [];
  const dispose = () => members.forEach((m) => m.model.dispose());
  try {
    for (const m of memberRuns) {
      const loaded = await loadRunModel(db, projectDir, m.id, 'best');
      members.push({ run: m, ...loaded });
    }
    const classes = members[0]!.state.classes;
    for (const m of members) {
      if (JSON.stringify(m.state.classes) !== JSON.stringify(classes)) {
        throw new ApiError(
          'conflict',
          `member run ${m.run.id} predicts the classes [${m.state.classes.join(', ')}], member run ${members[0]!.run.id} [${classes.join(', ')}]: an ensemble's members must share one class list`,
          'runId',
        );
      }
    }
    return { run, members, classes: [...classes], dispose };
  } catch (err) {
    dispose();
    throw err;
  }
}
