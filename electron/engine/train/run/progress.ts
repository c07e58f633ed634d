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

export type TrainProgress =
  | { type: 'status'; runId: number; backend: string; status: RunStatus; message: string }
  | { type: 'phase'; runId: number; backend: string; phase: TrainPhase; done: number; total: number; imagesPerSecond: number | null }
  | ({ type: 'batch'; runId: number; backend: string; etaSeconds: number | null } & BatchRecord)
  | ({ type: 'epoch'; runId: number; backend: string; improved: boolean; bestEpoch: number | null; etaSeconds: number | null } & EpochRecord)
  | { type: 'end'; runId: number; backend: string; summary: RunSummary };
