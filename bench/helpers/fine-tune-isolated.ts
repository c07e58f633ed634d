// (c) of `npm run bench -- cpu` in a worker thread of its own, so that a step which
// exhausts the WebAssembly heap (4 GB, never shrinks; the fine-tune step keeps every
// activation of the frozen backbone on the gradient tape) fails alone and the bench goes
// on. The batches are tried in order; the first that runs gives the figures, and the
// ones that failed are reported with their error.
import type { FineTuneResult } from './cpu-training.js';
import type { FineTuneJob } from './fine-tune-worker.js';
import { startWorker } from '../../electron/engine/workers/start-worker.js';

export interface IsolatedFineTune {
  result: FineTuneResult | null;
  failures: { batch: number; error: string }[];
}

function runJob(job: FineTuneJob): Promise<FineTuneResult> {
  const worker = startWorker(import.meta.url, './fine-tune-worker', { workerData: job });
  return new Promise<FineTuneResult>((resolve, reject) => {
    worker.once('message', (msg: { ok: true; result: FineTuneResult } | { ok: false; message: string }) => {
      if (msg.ok) resolve(msg.result);
      else reject(new Error(msg.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the fine-tune worker exited with code ${code}`)));
  }).finally(() => void worker.terminate());
}

export async function measureFineTuneIsolated(
  backboneId: string,
  reps: number,
  profile: boolean,
  batches: readonly number[],
  log: (msg: string) => void,
): Promise<IsolatedFineTune> {
  const failures: IsolatedFineTune['failures'] = [];
  for (const batch of batches) {
    try {
      return { result: await runJob({ backboneId, reps, profile, batch }), failures };
    } catch (err) {
      const error = (err as Error).message;
      log(`(c) batch ${batch} failed: ${error}`);
      failures.push({ batch, error });
    }
  }
  return { result: null, failures };
}
