// The worker side of an export (train-worker.ts's 'export' request): its own database
// connection, the export with its parity check, progress posted as it goes.
import path from 'node:path';
import { openDatabase } from '../store/database.js';
import type { ExportRequest, WorkerMessage } from '../train/train-protocol.js';
import { exportRun, type ExportResult } from './export-run.js';

export async function runExportJob(request: ExportRequest, post: (m: WorkerMessage) => void): Promise<ExportResult> {
  post({ type: 'export-progress', phase: 'loading', done: 0, total: 1 });
  const db = openDatabase(path.join(request.projectDir, 'holdout.db'));
  try {
    return await exportRun(db, request.projectDir, request.runId, request.outDir, {
      onProgress: (phase, done, total) => post({ type: 'export-progress', phase, done, total }),
    });
  } finally {
    db.close();
  }
}
