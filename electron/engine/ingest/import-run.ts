// One import from start to summary: list the files (folder walk or CSV), skip those
// the project already has unchanged, send the rest through the worker pool, and write
// each outcome from this (the main) thread. Stopping (the AbortSignal) terminates the
// workers at once: rows already committed stay, each one complete, and files in
// flight are simply not imported. The promise always resolves, with a summary.
import os from 'node:os';
import type { ImportProgress, ImportSummary } from '../../api/schemas.js';
import type { Project } from '../project/project.js';
import type { KnownFile } from '../store/images-repo.js';
import { diskFullError, isDiskFull, type DiskFullContext } from '../util/disk-full.js';
import type { ImportItem, Listing } from './import-item.js';
import { ProgressMeter, type ProgressCounts } from './progress-meter.js';
import { readCsv } from './read-csv.js';
import { RowWriter } from './row-writer.js';
import { scanFolder } from './scan-folder.js';
import { sweepTmp } from './thumbnail-file.js';
import { PoolClosedError, WorkerPool } from './worker-pool.js';

/**
 * Files each worker keeps in flight, so its thread hashes and reads while libvips
 * decodes and encodes. Measured on 2 cores: 8 beat 4 by ~15% on small files; the
 * total stays at most 32 so a many-core machine does not hold hundreds of photos in
 * memory at once (libuv runs only a few sharp operations at a time anyway).
 */
export function filesPerWorker(workers: number): number {
  return Math.max(2, Math.min(8, Math.floor(32 / workers)));
}
/** A worker costs ~50 ms to start: small imports use fewer. */
const FILES_PER_EXTRA_WORKER = 16;

export type ResolvedSource =
  | { kind: 'folder'; path: string; unlabeled: boolean }
  | { kind: 'csv'; path: string; /** Where relative paths in the CSV start from. */ baseDir: string };

export interface RunSettings {
  source: ResolvedSource;
  workers?: number;
  maxPixels: number;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}

interface Job {
  item: ImportItem;
  known: KnownFile | undefined;
}

export class ImportRun {
  private readonly started = performance.now();
  private readonly meter: ProgressMeter;
  private readonly writer: RowWriter;
  private pool: WorkerPool | null = null;
  private total = 0;
  private done = 0;
  private fatal: Error | null = null;

  constructor(
    private readonly project: Project,
    private readonly importId: number,
    private readonly settings: RunSettings,
  ) {
    this.meter = new ProgressMeter(importId, settings.onProgress);
    this.writer = new RowWriter(project, importId);
  }

  async run(): Promise<ImportSummary> {
    const { signal } = this.settings;
    const stop = () => void this.pool?.close();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      this.report('scanning', true);
      const listing = await this.list();
      for (const error of listing.errors) this.writer.addError(error);
      this.total = listing.items.length + listing.errors.length;
      this.done = listing.errors.length;
      if (!signal?.aborted) await this.process(listing.items);
    } catch (err) {
      this.fatal = err instanceof Error ? err : new Error(String(err));
    } finally {
      signal?.removeEventListener('abort', stop);
      // Terminating can only fail if a worker is already gone: nothing left to stop.
      await this.pool?.close().catch(() => undefined);
    }
    this.writer.close();
    return this.finish();
  }

  private async list(): Promise<Listing> {
    const { source, signal } = this.settings;
    if (source.kind === 'csv') return readCsv(source.path, source.baseDir);
    const listing = await scanFolder(source.path, {
      unlabeled: source.unlabeled,
      signal,
      skipFolders: [this.project.dir],
      onFound: (count) => {
        this.total = count;
        this.report('scanning');
      },
    });
    // Path order (a folder's files next to its sub-folders' files, as a file manager sorts
    // them), so image ids follow the folders. A CSV keeps its own row order.
    listing.items.sort((a, b) => Buffer.compare(a.pathBytes, b.pathBytes));
    return listing;
  }

  private async process(items: ImportItem[]): Promise<void> {
    // Looked up before any worker starts: an unchanged file costs one stat, no read.
    const jobs: Job[] = items.map((item) => ({ item, known: this.project.images.known(item.pathBytes) }));
    this.report('processing', true);
    if (jobs.length === 0) return;
    const wanted = this.settings.workers ?? os.availableParallelism();
    const size = Math.max(1, Math.min(wanted, Math.ceil(jobs.length / FILES_PER_EXTRA_WORKER)));
    this.pool = new WorkerPool(size, { thumbsDir: this.project.thumbsDir, maxPixels: this.settings.maxPixels });
    if (this.settings.signal?.aborted) return; // Aborted while the workers were created.
    let next = 0;
    // Workers finish out of order; rows are written in listing order (folder order, or the
    // CSV's), so image ids — the grid's order and the labeling queue's — follow the folders
    // the user sees. Only outcomes waiting for a slower predecessor are held here.
    const finished = new Map<number, { job: Job; outcome: Awaited<ReturnType<WorkerPool['run']>> }>();
    let nextToWrite = 0;
    const writeInOrder = () => {
      for (let ready = finished.get(nextToWrite); ready; ready = finished.get(nextToWrite)) {
        finished.delete(nextToWrite++);
        this.writer.addOutcome(ready.job.item, ready.job.known, ready.outcome);
      }
    };
    const runner = async (pool: WorkerPool) => {
      while (next < jobs.length && !this.settings.signal?.aborted && !this.writer.failure && !this.fatal) {
        const index = next++;
        const job = jobs[index]!;
        const known = job.known ? { bytes: job.known.bytes, mtimeMs: job.known.mtimeMs } : null;
        try {
          const outcome = await pool.run({ pathBytes: job.item.pathBytes, known });
          if (outcome.kind === 'error' && outcome.diskFull) {
            // Not this file's fault, and every file after it would fail the same way: stop
            // here with one message instead of listing each file as broken.
            this.fatal ??= diskFullError({ code: outcome.diskFull, message: outcome.reason }, this.diskFullContext(`the thumbnail of ${job.item.path}`, this.project.thumbsDir));
            return;
          }
          finished.set(index, { job, outcome });
          writeInOrder();
        } catch (err) {
          if (err instanceof PoolClosedError) return;
          this.fatal = err instanceof Error ? err : new Error(String(err));
          return;
        }
        this.done++;
        this.report('processing');
      }
    };
    await Promise.all(Array.from({ length: size * filesPerWorker(size) }, () => runner(this.pool!)));
  }

  private counts(phase: ProgressCounts['phase']): ProgressCounts {
    const c = this.writer.counts;
    return {
      phase,
      done: this.done,
      total: this.total,
      imported: c.imported,
      skipped: c.skippedDuplicates,
      errors: this.writer.errors.length,
    };
  }

  private report(phase: ProgressCounts['phase'], force = false): void {
    this.meter.update(this.counts(phase), force);
  }

  /** What a disk-full stop says: where, what to do, and that what was committed stays. */
  private diskFullContext(what: string, where: string): DiskFullContext {
    return {
      what,
      path: where,
      retry: 'import the same source again (images already imported are skipped, so it continues where it stopped)',
      kept: 'images imported before then were kept, each one complete',
    };
  }

  private finish(): ImportSummary {
    let failure = this.fatal ?? this.writer.failure;
    // SQLite could not grow the database (SQLITE_FULL), or a listing step hit a full disk.
    if (failure && isDiskFull(failure)) failure = diskFullError(failure, this.diskFullContext('the imported images\' records', this.project.dbFile));
    const cancelled = !failure && this.settings.signal?.aborted === true;
    const status = failure ? 'failed' : cancelled ? 'cancelled' : 'done';
    // Workers stopped mid-write leave temporary thumbnails behind; they are ours to remove.
    if (status !== 'done') sweepTmp(this.project.thumbsDir);
    const c = this.writer.counts;
    let message: string | undefined;
    if (failure && isDiskFull(failure)) {
      message = `The import stopped. ${failure.message}`;
    } else if (failure) {
      message = `the import stopped: ${failure.message}; images written before then were kept`;
    } else if (cancelled) {
      message = `stopped: ${c.imported} new image${c.imported === 1 ? '' : 's'} kept; import the same source again to add the rest`;
    }
    const summary: ImportSummary = {
      importId: this.importId,
      status,
      source: this.settings.source.path,
      ...c,
      errors: this.writer.errors,
      seconds: Math.round((performance.now() - this.started) / 10) / 100,
      ...(message ? { message } : {}),
    };
    try {
      this.project.imports.finish(
        this.importId,
        status,
        { imported: c.imported, skipped: c.skippedDuplicates, updated: c.updated, errorCount: summary.errors.length },
        message,
      );
    } catch {
      // The database is what failed (or was closed under us): the summary still tells the caller.
    }
    this.report('finishing', true);
    return summary;
  }
}
