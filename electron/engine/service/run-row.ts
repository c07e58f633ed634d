// A run as the API lists it (RunRow): its record, its note, and how many images of its
// split have been relabeled since it was created. The relabel counts of a whole list
// come from one query, not one per run.
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { RunRow } from '../../api/train-schemas.js';
import { RunsRepo, type Run } from '../store/runs-repo.js';

export type RunRowShape = z.infer<typeof RunRow>;

function rowOf(r: Run, labelsChangedSince: number): RunRowShape {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    parentRunId: r.parentRunId,
    status: r.status,
    modelKind: r.modelKind,
    backend: r.backend,
    splitVersionId: r.splitVersionId,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    seconds: r.seconds,
    epochsRun: r.epochsRun,
    bestEpoch: r.bestEpoch,
    bestValAccuracy: r.bestValAccuracy,
    bestValLoss: r.bestValLoss,
    stoppedEarly: r.stoppedEarly,
    stopReason: r.stopReason,
    error: r.error,
    note: r.notes ?? '',
    labelsChangedSince,
  };
}

/** Rows for these runs, in their order. */
export function runRows(db: Database.Database, runs: readonly Run[]): RunRowShape[] {
  if (runs.length === 0) return [];
  const changed = new RunsRepo(db).labelsChangedSince(runs.length === 1 ? [runs[0]!.id] : undefined);
  return runs.map((r) => rowOf(r, changed.get(r.id) ?? 0));
}

export function runRowOf(db: Database.Database, run: Run): RunRowShape {
  return runRows(db, [run])[0]!;
}
