// What a training run tells the world while it works: the worker posts these, the
// host relays them to the API's event stream and the CLI prints them as JSON lines.
// Every event names the backend, so no number is ever shown without where it ran.
import type { Run } from '../../store/runs-repo.js';
import type { BatchRecord, EpochRecord } from './train-loop.js';

export type RunStatus = 'queued' | 'running' | 'stopping' | 'stopped' | 'completed' | 'failed' | 'interrupted';
export type TrainPhase = 'loading' | 'decoding' | 'features' | 'training';

export interface RunSummary {
  runId: number;
  status: RunStatus;
  backend: string;
  modelKind: string;
  epochsRun: number;
  bestEpoch: number | null;
  bestValAccuracy: number | null;
  bestValLoss: number | null;
  stoppedEarly: boolean;
  stopReason: string | null;
  error: string | null;
  seconds: number;
}

/** A run record as its summary; `backend` and `seconds` stand in where the record has none yet. */
export function runSummary(r: Run, fallback: { backend: string; seconds: number }): RunSummary {
  return {
    runId: r.id,
    status: r.status,
    backend: r.backend ?? fallback.backend,
    modelKind: r.modelKind ?? 'unknown',
    epochsRun: r.epochsRun,
    bestEpoch: r.bestEpoch,
    bestValAccuracy: r.bestValAccuracy,
    bestValLoss: r.bestValLoss,
    stoppedEarly: r.stoppedEarly,
    stopReason: r.stopReason,
    error: r.error,
    seconds: r.seconds ?? fallback.seconds,
  };
}

/**
 * While an ensemble trains, its events carry the ensemble's runId (the run the caller
 * started and watches) and this tag: which member (index from 1, of count) is training,
 * and that member's own run id (its epochs and checkpoints are recorded under it).
 */
export interface EnsembleMemberTag {
  index: number;
  count: number;
  runId: number;
}

type Tagged = { runId: number; backend: string; member?: EnsembleMemberTag | null };

export type TrainProgress =
  | ({ type: 'status'; status: RunStatus; message: string } & Tagged)
  | ({ type: 'phase'; phase: TrainPhase; done: number; total: number; imagesPerSecond: number | null } & Tagged)
  | ({ type: 'batch'; etaSeconds: number | null } & Tagged & BatchRecord)
  | ({ type: 'epoch'; improved: boolean; bestEpoch: number | null; etaSeconds: number | null } & Tagged & EpochRecord)
  | ({ type: 'end'; summary: RunSummary } & Tagged);
