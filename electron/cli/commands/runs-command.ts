// holdout runs --project <dir>
// One "run" line per run, newest first, then {"event":"runs","count":N}. A line carries
// the user's note and how many images of the run's split were relabeled since it was
// created (it learned their old labels). Runs whose training process is gone are marked
// interrupted first, as `holdout train` does, so a crashed run is not listed as running.
import { openForReading } from '../open-project.js';
import { processIsAlive, RunsRepo } from '../../engine/store/runs-repo.js';
import { emitLine } from '../output.js';

export function runsCommand(args: { project: string }): number {
  const project = openForReading(args.project);
  try {
    const repo = new RunsRepo(project.db);
    repo.interruptOrphans(processIsAlive);
    const runs = repo.list();
    const changed = repo.labelsChangedSince();
    for (const r of runs) {
      emitLine('run', {
        id: r.id,
        name: r.name,
        kind: r.kind,
        // A member names its ensemble (null for any other run).
        parent_run_id: r.parentRunId,
        status: r.status,
        model_kind: r.modelKind,
        backend: r.backend,
        split_version: r.splitVersionId,
        epochs_run: r.epochsRun,
        best_epoch: r.bestEpoch,
        best_val_accuracy: r.bestValAccuracy,
        best_val_loss: r.bestValLoss,
        stopped_early: r.stoppedEarly,
        created_at: r.createdAt,
        seconds: r.seconds,
        note: r.notes ?? '',
        labels_changed_since: changed.get(r.id) ?? 0,
      });
    }
    emitLine('runs', { count: runs.length });
    return 0;
  } finally {
    project.close();
  }
}
