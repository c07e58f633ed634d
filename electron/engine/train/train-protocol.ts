// Messages between the host and its worker (thread or utility process). One worker does
// one job: train a run ('start'), evaluate a run's best checkpoint ('evaluate'), predict
// image files ('predict') or export a run with its parity check ('export').
import type { ApiErrorCode } from '../../api/errors.js';
import type { ExportPhase, ExportResult } from '../export/export-run.js';
import type { PredictOutcome, PredictPhase } from '../predict/predict-files.js';
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

/** Predicts a run's classes for image files from anywhere (electron/engine/predict). */
export interface PredictRequest {
  type: 'predict';
  projectDir: string;
  runId: number;
  paths: string[];
  maxFiles?: number;
  thumbnails?: boolean;
}

/** Exports a run into a folder and checks its parity (electron/engine/export). */
export interface ExportRequest {
  type: 'export';
  projectDir: string;
  runId: number;
  outDir: string;
}

export type WorkerRequest = StartRequest | EvaluateRequest | PredictRequest | ExportRequest;

export type EvaluatePhase = 'loading' | 'features' | 'predicting';

export type WorkerMessage =
  | { type: 'progress'; event: TrainProgress }
  | { type: 'done'; summary: RunSummary }
  | { type: 'evaluate-progress'; phase: EvaluatePhase; done: number; total: number }
  | { type: 'evaluated'; evaluationId: number }
  | { type: 'predict-progress'; phase: PredictPhase; done: number; total: number }
  | { type: 'predicted'; outcome: PredictOutcome }
  | { type: 'export-progress'; phase: ExportPhase; done: number; total: number }
  | { type: 'exported'; result: ExportResult }
  /** The job failed; an ApiError's code and field come along, so the window sees the same refusal the CLI prints. */
  | { type: 'fatal'; message: string; code?: ApiErrorCode; field?: string };
