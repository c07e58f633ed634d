// The 'predict' job of the training worker: its own database connection (a handle cannot
// cross threads), predictFiles, and progress posted as it goes. Kept here so the worker's
// entry point only routes the request.
import path from 'node:path';
import { openDatabase } from '../store/database.js';
import type { PredictRequest, WorkerMessage } from '../train/train-protocol.js';
import { predictFiles, type PredictOutcome } from './predict-files.js';

export async function runPredictJob(request: PredictRequest, post: (m: WorkerMessage) => void): Promise<PredictOutcome> {
  const db = openDatabase(path.join(request.projectDir, 'holdout.db'));
  try {
    let last = 0;
    return await predictFiles(db, request.projectDir, request.runId, request.paths, {
      ...(request.maxFiles === undefined ? {} : { maxFiles: request.maxFiles }),
      thumbnails: request.thumbnails ?? false,
      onProgress(phase, done, total) {
        // At most ~10 messages a second, and always the last of a phase.
        if (done === total || Date.now() - last > 100) {
          last = Date.now();
          post({ type: 'predict-progress', phase, done, total });
        }
      },
    });
  } finally {
    db.close();
  }
}
