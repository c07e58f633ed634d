// Training runs (migration 4): the run record, its per-epoch and per-batch metrics and
// its best/last checkpoints. The repository records; the training loop decides.
import path from 'node:path';
import type Database from 'better-sqlite3';
import { STANDING_RELABELS } from './history-repo.js';
import { ApiError } from '../../api/errors.js';

export type RunKind = 'single' | 'ensemble' | 'member';
export type RunStatus = 'queued' | 'running' | 'stopping' | 'stopped' | 'completed' | 'failed' | 'interrupted';
export type FinalRunStatus = 'stopped' | 'completed' | 'failed';
export type CheckpointKind = 'best' | 'last';

export interface Run {
  id: number;
  name: string;
  kind: RunKind;
  parentRunId: number | null;
  splitVersionId: number;
  /** The full configuration the run was started with. */
  config: unknown;
  modelKind: string | null;
  status: RunStatus;
  backend: string | null;
  /** Why better backends were skipped, thread count, …: as the worker reported it. */
  backendDetail: unknown;
  pid: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  seconds: number | null;
  epochsRun: number;
  bestEpoch: number | null;
  bestValLoss: number | null;
  bestValAccuracy: number | null;
  stoppedEarly: boolean;
  stopReason: string | null;
  error: string | null;
  notes: string | null;
}

export interface NewRun {
  name: string;
  kind?: RunKind;
  /** Required for kind 'member' (the ensemble run), absent otherwise. */
  parentRunId?: number | null;
  splitVersionId: number;
  config: unknown;
  modelKind?: string | null;
}

/** Losses that were not a number are stored (and come back) as null. */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  /** null in an epoch that was not validated. */
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number | null;
  seconds: number | null;
  imagesPerSecond: number | null;
}

export interface BatchMetrics {
  epoch: number;
  batch: number;
  loss: number | null;
  accuracy: number | null;
}

export interface CheckpointInfo {
  epoch: number;
  /** Relative to the project folder, e.g. checkpoints/12/epoch-0007. */
  path: string;
  valLoss: number | null;
  valAccuracy: number | null;
  bytes: number;
  sha256: string;
}

export interface Checkpoint extends CheckpointInfo {
  id: number;
  runId: number;
  kind: CheckpointKind;
  createdAt: string;
}

export interface RunOutcome {
  status: FinalRunStatus;
  stopReason?: string | null;
  error?: string | null;
  seconds: number;
  epochsRun: number;
  bestEpoch: number | null;
  bestValLoss: number | null;
  bestValAccuracy: number | null;
  stoppedEarly: boolean;
}

export interface DeletedRun {
  /** The run and, for an ensemble, its members: each had a checkpoints/<id>/ folder. */
  runIds: number[];
  /** Every checkpoint path (relative to the project) the deleted rows named. */
  checkpointPaths: string[];
}

interface RunRow {
  id: number;
  name: string;
  kind: RunKind;
  parent_run_id: number | null;
  split_version_id: number;
  config: string;
  model_kind: string | null;
  status: RunStatus;
  backend: string | null;
  backend_detail: string | null;
  pid: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  seconds: number | null;
  epochs_run: number;
  best_epoch: number | null;
  best_val_loss: number | null;
  best_val_accuracy: number | null;
  stopped_early: number;
  stop_reason: string | null;
  error: string | null;
  notes: string | null;
}

interface CheckpointRow {
  id: number;
  run_id: number;
  epoch: number;
  kind: CheckpointKind;
  path: string;
  val_loss: number | null;
  val_accuracy: number | null;
  bytes: number;
  sha256: string;
  created_at: string;
}

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ','now')`;
const ACTIVE: readonly RunStatus[] = ['running', 'stopping'];

function fromRow(r: RunRow): Run {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    parentRunId: r.parent_run_id,
    splitVersionId: r.split_version_id,
    config: JSON.parse(r.config) as unknown,
    modelKind: r.model_kind,
    status: r.status,
    backend: r.backend,
    backendDetail: r.backend_detail === null ? null : (JSON.parse(r.backend_detail) as unknown),
    pid: r.pid,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    seconds: r.seconds,
    epochsRun: r.epochs_run,
    bestEpoch: r.best_epoch,
    bestValLoss: r.best_val_loss,
    bestValAccuracy: r.best_val_accuracy,
    stoppedEarly: r.stopped_early === 1,
    stopReason: r.stop_reason,
    error: r.error,
    notes: r.notes,
  };
}

function checkpointFromRow(r: CheckpointRow): Checkpoint {
  return {
    id: r.id,
    runId: r.run_id,
    epoch: r.epoch,
    kind: r.kind,
    path: r.path,
    valLoss: r.val_loss,
    valAccuracy: r.val_accuracy,
    bytes: r.bytes,
    sha256: r.sha256,
    createdAt: r.created_at,
  };
}

/** NaN and ±Infinity are not metrics anyone can plot or compare: store them as null. */
function finite(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

function epochNumber(epoch: number, field: string): number {
  if (!Number.isInteger(epoch) || epoch < 0) throw new ApiError('invalid_request', `${field} must be a whole number ≥ 0, got ${epoch}`, field);
  return epoch;
}

/**
 * A checkpoint path is stored relative to the project and later handed to code that
 * deletes it: refuse anything that could point outside the project's checkpoints/.
 */
function checkedCheckpointPath(p: string): string {
  const normal = path.posix.normalize(p.replaceAll('\\', '/'));
  if (path.isAbsolute(p) || path.posix.isAbsolute(normal) || /^[A-Za-z]:/.test(normal) || normal.split('/').includes('..') || !normal.startsWith('checkpoints/')) {
    throw new ApiError('invalid_request', `checkpoint path must be relative to the project and inside checkpoints/, got ${p}`, 'path');
  }
  return normal;
}

/** Whether a process exists (signal 0 only asks). EPERM: it exists but belongs to someone else. */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class RunsRepo {
  constructor(private readonly db: Database.Database) {}

  create(run: NewRun): Run {
    const name = run.name.trim();
    if (!name) throw new ApiError('invalid_request', 'a run needs a name', 'name');
    const kind = run.kind ?? 'single';
    const parent = run.parentRunId ?? null;
    if ((kind === 'member') !== (parent !== null)) {
      throw new ApiError('invalid_request', 'an ensemble member needs its ensemble run (parentRunId), and only a member has one', 'parentRunId');
    }
    if (parent !== null && this.require(parent).kind !== 'ensemble') {
      throw new ApiError('invalid_request', `run ${parent} is not an ensemble`, 'parentRunId');
    }
    const split = this.db.prepare('SELECT 1 FROM split_versions WHERE id = ?').get(run.splitVersionId);
    if (!split) throw new ApiError('not_found', `split version ${run.splitVersionId} does not exist`, 'splitVersionId');
    const id = Number(
      this.db
        .prepare(`INSERT INTO runs (name, kind, parent_run_id, split_version_id, config, model_kind) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(name, kind, parent, run.splitVersionId, JSON.stringify(run.config ?? null), run.modelKind ?? null).lastInsertRowid,
    );
    return this.get(id)!;
  }

  get(id: number): Run | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row && fromRow(row);
  }

  /** Every run, newest first; each carries its best epoch and metrics. */
  list(): Run[] {
    return (this.db.prepare('SELECT * FROM runs ORDER BY id DESC').all() as RunRow[]).map(fromRow);
  }

  /** An ensemble's members, oldest first. */
  members(ensembleId: number): Run[] {
    return (this.db.prepare('SELECT * FROM runs WHERE parent_run_id = ? ORDER BY id').all(ensembleId) as RunRow[]).map(fromRow);
  }

  /**
   * The worker started (or resumed) the run. A run that is running already, or has
   * completed, cannot start again: two workers on one run would overwrite each other's
   * checkpoints. The first start time is kept across resumes.
   */
  markRunning(id: number, pid: number, backend: string, detail: unknown): Run {
    const run = this.require(id);
    if (run.status === 'running' || run.status === 'stopping' || run.status === 'completed') {
      throw new ApiError('conflict', `run ${id} is ${run.status}: it cannot be started again`, 'runId');
    }
    this.db
      .prepare(
        `UPDATE runs SET status = 'running', pid = ?, backend = ?, backend_detail = ?, started_at = coalesce(started_at, ${NOW}),
                finished_at = NULL, stop_reason = NULL, error = NULL WHERE id = ?`,
      )
      .run(pid, backend, JSON.stringify(detail ?? null), id);
    return this.get(id)!;
  }

  /**
   * The backend as the run ended up using it, once it is known: markRunning records the
   * backend chosen at start, before the run knows how many threads will compute for it
   * (a feature-extraction pool, data-parallel training workers).
   */
  setBackend(id: number, backend: string, detail: unknown): Run {
    this.require(id);
    this.db.prepare('UPDATE runs SET backend = ?, backend_detail = ? WHERE id = ?').run(backend, JSON.stringify(detail ?? null), id);
    return this.get(id)!;
  }

  /**
   * Records what 'auto' and the other defaults resolved to (model kind, input size,
   * backbone, learning rate, and why), so the run's configuration is complete.
   */
  recordResolvedConfig(id: number, modelKind: string, resolved: Record<string, unknown>): Run {
    const run = this.require(id);
    const config = { ...(run.config as Record<string, unknown>), resolved };
    this.db.prepare('UPDATE runs SET model_kind = ?, config = ? WHERE id = ?').run(modelKind, JSON.stringify(config), id);
    return this.get(id)!;
  }

  /** The user pressed Stop: the worker finishes its batch, then calls finish(…'stopped'). */
  markStopping(id: number): boolean {
    return this.db.prepare(`UPDATE runs SET status = 'stopping' WHERE id = ? AND status = 'running'`).run(id).changes === 1;
  }

  /** Records (or, for an epoch run again after a resume, replaces) one epoch's metrics. */
  recordEpoch(id: number, m: EpochMetrics): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO run_epochs (run_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy, learning_rate, seconds, images_per_second)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        epochNumber(m.epoch, 'epoch'),
        finite(m.trainLoss),
        finite(m.trainAccuracy),
        finite(m.valLoss),
        finite(m.valAccuracy),
        finite(m.learningRate),
        finite(m.seconds),
        finite(m.imagesPerSecond),
      );
  }

  /** Records many batches in one transaction (one commit per call, not per batch). */
  recordBatches(id: number, batches: readonly BatchMetrics[]): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO run_batches (run_id, epoch, batch, loss, accuracy) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const b of batches) insert.run(id, epochNumber(b.epoch, 'epoch'), epochNumber(b.batch, 'batch'), finite(b.loss), finite(b.accuracy));
    })();
  }

  /**
   * A run resumed from the checkpoint of `epoch` forgets what it recorded after it:
   * those epochs are run again, and may end differently (an earlier stop).
   */
  discardAfter(id: number, epoch: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM run_epochs WHERE run_id = ? AND epoch > ?').run(id, epoch);
      this.db.prepare('DELETE FROM run_batches WHERE run_id = ? AND epoch > ?').run(id, epoch);
    })();
  }

  epochs(id: number): EpochMetrics[] {
    return this.db
      .prepare(
        `SELECT epoch, train_loss AS trainLoss, train_accuracy AS trainAccuracy, val_loss AS valLoss, val_accuracy AS valAccuracy,
                learning_rate AS learningRate, seconds, images_per_second AS imagesPerSecond
           FROM run_epochs WHERE run_id = ? ORDER BY epoch`,
      )
      .all(id) as EpochMetrics[];
  }

  /**
   * Batches in order; with `every` = n, every n-th one (and always the newest, so a
   * thinned curve still reaches the present).
   */
  batches(id: number, options: { every?: number } = {}): BatchMetrics[] {
    const every = options.every ?? 1;
    if (!Number.isInteger(every) || every < 1) throw new ApiError('invalid_request', `every must be a whole number ≥ 1, got ${every}`, 'every');
    return this.db
      .prepare(
        `SELECT epoch, batch, loss, accuracy FROM (
           SELECT epoch, batch, loss, accuracy,
                  row_number() OVER (ORDER BY epoch, batch) - 1 AS i, count(*) OVER () AS n
             FROM run_batches WHERE run_id = ?)
          WHERE i % ? = 0 OR i = n - 1 ORDER BY epoch, batch`,
      )
      .all(id, every) as BatchMetrics[];
  }

  /**
   * Makes `info` the run's checkpoint of this kind. Returns the path of the checkpoint it
   * replaced when no row of the run names that path any more (its files can go), else null.
   */
  setCheckpoint(runId: number, kind: CheckpointKind, info: CheckpointInfo): string | null {
    this.require(runId);
    const rel = checkedCheckpointPath(info.path);
    if (!/^[0-9a-f]{64}$/.test(info.sha256)) throw new ApiError('invalid_request', 'checkpoint sha256 must be 64 lowercase hex digits', 'sha256');
    return this.db.transaction(() => {
      const old = this.checkpoint(runId, kind);
      this.db
        .prepare(
          `INSERT OR REPLACE INTO checkpoints (run_id, epoch, kind, path, val_loss, val_accuracy, bytes, sha256)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(runId, epochNumber(info.epoch, 'epoch'), kind, rel, finite(info.valLoss), finite(info.valAccuracy), info.bytes, info.sha256);
      if (!old || old.path === rel) return null;
      const stillUsed = this.db.prepare('SELECT 1 FROM checkpoints WHERE run_id = ? AND path = ?').get(runId, old.path);
      return stillUsed ? null : old.path;
    })();
  }

  checkpoint(runId: number, kind: CheckpointKind): Checkpoint | undefined {
    const row = this.db.prepare('SELECT * FROM checkpoints WHERE run_id = ? AND kind = ?').get(runId, kind) as CheckpointRow | undefined;
    return row && checkpointFromRow(row);
  }

  /** The run's checkpoints: best, then last. */
  checkpoints(runId: number): Checkpoint[] {
    return (this.db.prepare('SELECT * FROM checkpoints WHERE run_id = ? ORDER BY kind').all(runId) as CheckpointRow[]).map(checkpointFromRow);
  }

  finish(id: number, outcome: RunOutcome): Run {
    this.require(id);
    this.db
      .prepare(
        `UPDATE runs SET status = ?, pid = NULL, finished_at = ${NOW}, stop_reason = ?, error = ?, seconds = ?, epochs_run = ?,
                best_epoch = ?, best_val_loss = ?, best_val_accuracy = ?, stopped_early = ? WHERE id = ?`,
      )
      .run(
        outcome.status,
        outcome.stopReason ?? null,
        outcome.error ?? null,
        outcome.seconds,
        outcome.epochsRun,
        outcome.bestEpoch,
        finite(outcome.bestValLoss),
        finite(outcome.bestValAccuracy),
        outcome.stoppedEarly ? 1 : 0,
        id,
      );
    return this.get(id)!;
  }

  /**
   * Runs left 'running' or 'stopping' by a worker that is gone (crashed, killed, the app
   * closed) become 'interrupted': they can be resumed from their last checkpoint. Pass
   * processIsAlive; `() => false` marks every active run, which is right only when no
   * other process (a `holdout train` in a terminal) can be training in this project.
   * Returns the ids it marked.
   */
  interruptOrphans(isAlive: (pid: number) => boolean): number[] {
    return this.db.transaction(() => {
      const active = this.db
        .prepare(`SELECT id, pid FROM runs WHERE status IN (${ACTIVE.map(() => '?').join(',')}) ORDER BY id`)
        .all(...ACTIVE) as { id: number; pid: number | null }[];
      const orphans = active.filter((r) => r.pid === null || !isAlive(r.pid)).map((r) => r.id);
      const mark = this.db.prepare(
        `UPDATE runs SET status = 'interrupted', pid = NULL, finished_at = ${NOW},
                stop_reason = 'interrupted: the training process ended without finishing (a crash, or the app was closed)' WHERE id = ?`,
      );
      for (const id of orphans) mark.run(id);
      return orphans;
    })();
  }

  /** One run whose worker died without a final word (the host saw it exit). */
  markInterrupted(id: number, detail: string): void {
    this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', pid = NULL, finished_at = ${NOW}, stop_reason = ?
          WHERE id = ? AND status IN (${ACTIVE.map(() => '?').join(',')})`,
      )
      .run(`interrupted: ${detail}`, id, ...ACTIVE);
  }

  /**
   * For each run (all, or those given): how many images of its split version had their
   * class changed by a labeling action after the run was created (undone actions and
   * changes that left the class as it was do not count). The run learned, or was
   * validated on, their old labels. Runs with no such image are absent from the map
   * (read a missing id as 0).
   */
  labelsChangedSince(runIds?: readonly number[]): Map<number, number> {
    const runs = (
      runIds === undefined
        ? this.db.prepare('SELECT id, split_version_id AS versionId, created_at AS createdAt FROM runs').all()
        : this.db
            .prepare('SELECT id, split_version_id AS versionId, created_at AS createdAt FROM runs WHERE id IN (SELECT value FROM json_each(?))')
            .all(JSON.stringify(runIds))
    ) as { id: number; versionId: number; createdAt: string }[];
    const counts = new Map<number, number>();
    if (runs.length === 0) return counts;
    // An image changed after a run was created exactly when its LAST change is: so one
    // query gives each changed image of the versions in use with its last change time,
    // and each run is then a binary search in its version's sorted times. (Joining every
    // run with every change instead costs runs × changes: seconds after a big CSV relabel.)
    const since = runs.reduce((min, r) => (r.createdAt < min ? r.createdAt : min), runs[0]!.createdAt);
    const versions = [...new Set(runs.map((r) => r.versionId))];
    const rows = this.db
      .prepare(
        `WITH last AS (
           SELECT c.image_id, max(a.created_at) AS t
             FROM ${STANDING_RELABELS}
            WHERE a.created_at > ?
            GROUP BY c.image_id)
         SELECT s.version_id, l.t FROM last l
           JOIN split_assignments s ON s.version_id IN (SELECT value FROM json_each(?)) AND s.image_id = l.image_id`,
      )
      .raw()
      .all(since, JSON.stringify(versions)) as [number, string][];
    const times = new Map<number, string[]>(versions.map((v) => [v, []]));
    for (const [v, t] of rows) times.get(v)!.push(t);
    for (const list of times.values()) list.sort();
    for (const r of runs) {
      const list = times.get(r.versionId)!;
      // The first time after the run's creation; everything from there on counts.
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]! > r.createdAt) hi = mid;
        else lo = mid + 1;
      }
      if (list.length - lo > 0) counts.set(r.id, list.length - lo);
    }
    return counts;
  }

  rename(id: number, name: string): Run {
    const trimmed = name.trim();
    if (!trimmed) throw new ApiError('invalid_request', 'a run needs a name', 'name');
    this.require(id);
    this.db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(trimmed, id);
    return this.get(id)!;
  }

  /** The user's notes on a run; empty text clears them. */
  annotate(id: number, notes: string): Run {
    this.require(id);
    this.db.prepare('UPDATE runs SET notes = ? WHERE id = ?').run(notes.trim() || null, id);
    return this.get(id)!;
  }

  /**
   * Deletes a run (an ensemble with its members) with its metrics and checkpoint rows;
   * returns what to remove from disk. A run whose worker is active is refused: stop it first.
   */
  delete(id: number): DeletedRun {
    return this.db.transaction((): DeletedRun => {
      const run = this.require(id);
      const members = this.members(id);
      for (const r of [run, ...members]) {
        if (ACTIVE.includes(r.status)) throw new ApiError('conflict', `run ${r.id} is ${r.status}: stop it before deleting it`, 'runId');
      }
      const runIds = [id, ...members.map((m) => m.id)];
      const checkpointPaths = [
        ...new Set(runIds.flatMap((r) => this.db.prepare('SELECT path FROM checkpoints WHERE run_id = ?').pluck().all(r) as string[])),
      ];
      this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
      return { runIds, checkpointPaths };
    })();
  }

  private require(id: number): Run {
    const run = this.get(id);
    if (!run) throw new ApiError('not_found', `run ${id} does not exist`, 'runId');
    return run;
  }
}
