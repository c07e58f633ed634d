// What a training run tells the world while it works: the worker posts these, the
// host relays them to the API's event stream and the CLI prints them as JSON lines.
// Every event names the backend, so no number is ever shown without where it ran.
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

export type TrainProgress =
  | { type: 'status'; runId: number; backend: string; status: RunStatus; message: string }
  | { type: 'phase'; runId: number; backend: string; phase: TrainPhase; done: number; total: number; imagesPerSecond: number | null }
  | ({ type: 'batch'; runId: number; backend: string; etaSeconds: number | null } & BatchRecord)
  | ({ type: 'epoch'; runId: number; backend: string; improved: boolean; bestEpoch: number | null; etaSeconds: number | null } & EpochRecord)
  | { type: 'end'; runId: number; backend: string; summary: RunSummary };
