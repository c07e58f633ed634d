// Messages between the host and its worker (thread or utility process). One worker does
// one job: train a run ('start'), or evaluate a run's best checkpoint ('evaluate').
import type { ApiErrorCode } from '../../api/errors.js';
import type { RunSummary, TrainProgress } from './run/progress.js';

export interface StartRequest {
  type: 'start';
  projectDir: string;
  runId: number;
}

export interface EvaluateRequest {
  type: 'evaluate';
  projectDir: string;
  runId: number;
  split: 'validation' | 'test';
  confirm?: boolean;
  confirmReuse?: boolean;
}

export type WorkerRequest = StartRequest | EvaluateRequest;

export type EvaluatePhase = 'loading' | 'features' | 'predicting';

export type WorkerMessage =
  | { type: 'progress'; event: TrainProgress }
  | { type: 'done'; summary: RunSummary }
  | { type: 'evaluate-progress'; phase: EvaluatePhase; done: number; total: number }
  | { type: 'evaluated'; evaluationId: number }
  /** The job failed; an ApiError's code and field come along, so the window sees the same refusal the CLI prints. */
  | { type: 'fatal'; message: string; code?: ApiErrorCode; field?: string };
