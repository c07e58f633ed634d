// Messages between the training host and its worker (thread or utility process).
import type { RunSummary, TrainProgress } from './run/progress.js';

export interface WorkerRequest {
  type: 'start';
  projectDir: string;
  runId: number;
}

export type WorkerMessage =
  | { type: 'progress'; event: TrainProgress }
  | { type: 'done'; summary: RunSummary }
  | { type: 'fatal'; message: string };
