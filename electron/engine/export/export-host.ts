// Starts an export in its own worker (see workers/start-job.ts) and relays its progress:
// TensorFlow.js and the parity check's child process never run in the service's process.
import type { TrainerLauncher } from '../train/train-host.js';
import type { ExportRequest } from '../train/train-protocol.js';
import { startJob, type JobHandle } from '../workers/start-job.js';
import type { ExportPhase, ExportResult } from './export-run.js';

export type ExportHandle = JobHandle<ExportResult>;

export function startExport(opts: {
  request: Omit<ExportRequest, 'type'>;
  onProgress(phase: ExportPhase, done: number, total: number): void;
  launcher?: TrainerLauncher;
}): ExportHandle {
  return startJob<ExportPhase, ExportResult>({
    request: { type: 'export', ...opts.request },
    noun: 'export',
    progressOf: (m) => (m.type === 'export-progress' ? m : null),
    resultOf: (m) => (m.type === 'exported' ? { value: m.result } : undefined),
    onProgress: opts.onProgress,
    ...(opts.launcher ? { launcher: opts.launcher } : {}),
  });
}
