// holdout train --project <dir> [--config <json file>] [--resume <run>]
// Prints progress lines (phase, epoch; batch lines at most every few seconds) and a
// final "train" line. Ctrl-C stops after the batch in flight and keeps the checkpoints.
// An ensemble's lines carry "member" ({index, count, run_id}: which member is training)
// and its final line lists its members with their validation numbers.
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import { openForChanges } from '../open-project.js';
import { processIsAlive, RunsRepo } from '../../engine/store/runs-repo.js';
import { createRun } from '../../engine/train/run/create-run.js';
import type { RunSummary, TrainProgress } from '../../engine/train/run/progress.js';
import { startTraining } from '../../engine/train/train-host.js';
import { readInputFile } from '../read-input-file.js';
import { emitLine, UsageError } from '../output.js';

export interface TrainArgs {
  project: string;
  config: string | undefined;
  resume: string | undefined;
}

function readConfigFile(file: string): unknown {
  // A configuration is a few hundred bytes; a megabyte is already no configuration.
  const text = readInputFile(file, { field: 'config', what: 'a configuration file', maxBytes: 1024 * 1024 }).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ApiError('invalid_request', `the configuration file ${file} is not valid JSON: ${(err as Error).message}`, 'config');
  }
}

const round = (x: number | null, digits = 4) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** Which ensemble member a line is about ({} for a single run, so its lines are unchanged). */
function memberOf(e: TrainProgress): { member?: { index: number; count: number; run_id: number } } {
  return e.member ? { member: { index: e.member.index, count: e.member.count, run_id: e.member.runId } } : {};
}

function progressLine(e: TrainProgress, lastBatchLine: { t: number }): void {
  const line = (kind: string, fields: Record<string, unknown>) => emitLine(kind, { ...fields, ...memberOf(e) });
  switch (e.type) {
    case 'status':
      line('status', { run_id: e.runId, backend: e.backend, status: e.status, message: e.message });
      return;
    case 'phase':
      if (e.done === e.total || Date.now() - lastBatchLine.t > 2000) {
        lastBatchLine.t = Date.now();
        line('phase', { run_id: e.runId, backend: e.backend, phase: e.phase, done: e.done, total: e.total, images_per_second: round(e.imagesPerSecond, 1) });
      }
      return;
    case 'batch':
      if (Date.now() - lastBatchLine.t < 5000) return;
      lastBatchLine.t = Date.now();
      line('batch', {
        run_id: e.runId,
        backend: e.backend,
        epoch: e.epoch,
        batch: e.batch,
        batches: e.batches,
        loss: round(e.loss),
        accuracy: round(e.accuracy),
        images_per_second: round(e.imagesPerSecond, 1),
        eta_seconds: round(e.etaSeconds, 0),
      });
      return;
    case 'epoch':
      line('epoch', {
        run_id: e.runId,
        backend: e.backend,
        epoch: e.epoch,
        train_loss: round(e.trainLoss),
        train_accuracy: round(e.trainAccuracy),
        val_loss: round(e.valLoss),
        val_accuracy: round(e.valAccuracy),
        improved: e.improved,
        best_epoch: e.bestEpoch,
        seconds: round(e.seconds, 2),
        images_per_second: round(e.imagesPerSecond, 1),
        eta_seconds: round(e.etaSeconds, 0),
      });
      return;
    case 'end':
      return;
  }
}

/** An ensemble's final line: its kind and each member's numbers. Nothing for a single run. */
function ensembleFields(runs: RunsRepo, runId: number): Record<string, unknown> {
  if (runs.get(runId)?.kind !== 'ensemble') return {};
  return {
    kind: 'ensemble',
    members: runs.members(runId).map((m) => ({
      run_id: m.id,
      name: m.name,
      status: m.status,
      epochs_run: m.epochsRun,
      best_epoch: m.bestEpoch,
      best_val_accuracy: round(m.bestValAccuracy),
      best_val_loss: round(m.bestValLoss),
      seconds: round(m.seconds, 2),
    })),
  };
}

export async function trainCommand(args: TrainArgs): Promise<number> {
  if (args.resume !== undefined && args.config !== undefined) throw new UsageError('use either --config (a new run) or --resume <run>, not both');
  const project = openForChanges(args.project, 'train');
  try {
    const runs = new RunsRepo(project.db);
    runs.interruptOrphans(processIsAlive);
    let runId: number;
    if (args.resume !== undefined) {
      runId = Number(args.resume);
      if (!Number.isInteger(runId) || runId <= 0) throw new UsageError(`--resume needs a run id (a whole number), not "${args.resume}"`);
      const run = runs.get(runId);
      if (!run) throw new ApiError('not_found', `run ${runId} does not exist`, 'resume');
      if (run.kind === 'member') {
        throw new ApiError('conflict', `run ${runId} is a member of ensemble ${run.parentRunId}: resume the ensemble (--resume ${run.parentRunId})`, 'resume');
      }
      if (run.status === 'completed') throw new ApiError('conflict', `run ${runId} has completed: there is nothing to resume`, 'resume');
      if (run.status === 'running' || run.status === 'stopping') throw new ApiError('conflict', `run ${runId} is still ${run.status} in another process`, 'resume');
    } else {
      const config = args.config === undefined ? {} : readConfigFile(path.resolve(args.config));
      runId = createRun(project.db, config, project.dir).id;
    }
    emitLine('run', { run_id: runId, resumed: args.resume !== undefined });
    const lastLine = { t: 0 };
    const handle = startTraining({ db: project.db, projectDir: project.dir, runId, onEvent: (e) => progressLine(e, lastLine) });
    const onSignal = () => handle.stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const s: RunSummary = await handle.done;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const fields = {
      run_id: s.runId,
      status: s.status,
      backend: s.backend,
      model_kind: s.modelKind,
      epochs_run: s.epochsRun,
      best_epoch: s.bestEpoch,
      best_val_accuracy: round(s.bestValAccuracy),
      best_val_loss: round(s.bestValLoss),
      stopped_early: s.stoppedEarly,
      stop_reason: s.stopReason,
      seconds: round(s.seconds, 2),
      ...ensembleFields(runs, s.runId),
    };
    if (s.status === 'failed' || s.status === 'interrupted') {
      emitLine('error', { code: 'training_failed', message: s.error ?? `run ${s.runId} ${s.status}`, field: null, ...fields });
      process.stderr.write(`holdout: run ${s.runId} ${s.status}: ${s.error ?? ''}\n`);
      return 1;
    }
    emitLine('train', fields);
    return 0;
  } finally {
    project.close();
  }
}
