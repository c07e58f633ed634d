// Writes what the workers found, from the main thread, in batched transactions (every
// 100 outcomes or 250 ms, whichever comes first): a commit per file would cost a WAL
// append and lock round per image; one transaction for the whole import would lose
// everything on a crash and hide the new images from the library until the end. A row is written only
// with all its fields, after its thumbnail file exists (the worker renamed it into
// place before answering), so a crash leaves no half-imported image.
import type Database from 'better-sqlite3';
import type { ImportError } from '../../api/schemas.js';
import type { Project } from '../project/project.js';
import type { KnownFile, NewImage } from '../store/images-repo.js';
import type { ImportItem } from './import-item.js';
import type { FileOutcome, ImageFacts } from './process-file.js';

export interface ImportCounts {
  imported: number;
  skippedDuplicates: number;
  updated: number;
  exactDuplicates: number;
}

/** Which counts one written outcome adds to, applied only once its transaction committed. */
type Tally = 'imported' | 'importedDuplicate' | 'skippedDuplicates' | 'updated' | null;

type Pending =
  | { kind: 'error'; error: ImportError }
  | { kind: 'image'; item: ImportItem; known: KnownFile | undefined; facts: ImageFacts };

export interface RowWriterOptions {
  batchSize?: number;
  maxDelayMs?: number;
}

export class RowWriter {
  readonly counts: ImportCounts = { imported: 0, skippedDuplicates: 0, updated: 0, exactDuplicates: 0 };
  readonly errors: ImportError[] = [];
  private pending: Pending[] = [];
  private readonly classIds = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly batchSize: number;
  private readonly commit: Database.Transaction<(batch: Pending[]) => Tally[]>;
  private failed: Error | null = null;

  constructor(
    private readonly project: Project,
    private readonly importId: number,
    options: RowWriterOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.commit = project.db.transaction((batch: Pending[]) => batch.map((p) => this.write(p)));
    this.timer = setInterval(() => this.flush(), options.maxDelayMs ?? 250);
    this.timer.unref();
  }

  /** Files refused before reading: only the error is recorded. */
  addError(error: ImportError): void {
    this.errors.push(error);
    this.enqueue({ kind: 'error', error });
  }

  /** The outcome of one processed file. */
  addOutcome(item: ImportItem, known: KnownFile | undefined, outcome: FileOutcome): void {
    if (outcome.kind === 'error') {
      const reason = item.row !== undefined ? `row ${item.row}: ${outcome.reason}` : outcome.reason;
      this.addError({ path: item.path, reason });
    } else if (outcome.kind === 'unchanged') {
      this.counts.skippedDuplicates++;
    } else {
      this.enqueue({ kind: 'image', item, known, facts: outcome });
    }
  }

  /** Why writing stopped (the disk is full, the database is locked…); null while all is well. */
  get failure(): Error | null {
    return this.failed;
  }

  /**
   * Commits everything received so far in one transaction. Never throws: it runs from a
   * timer too. After a failure nothing more is written and `failure` says why; the
   * failed batch was rolled back whole, and the counts include committed rows only.
   */
  flush(): void {
    if (this.pending.length === 0 || this.failed) return;
    const batch = this.pending;
    this.pending = [];
    try {
      for (const tally of this.commit(batch)) {
        if (tally === 'importedDuplicate') {
          this.counts.imported++;
          this.counts.exactDuplicates++;
        } else if (tally) this.counts[tally]++;
      }
    } catch (err) {
      this.failed = err instanceof Error ? err : new Error(String(err));
      clearInterval(this.timer);
    }
  }

  /** Final flush; the writer is unusable afterwards. */
  close(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private enqueue(p: Pending): void {
    this.pending.push(p);
    if (this.pending.length >= this.batchSize) this.flush();
  }

  private classId(name: string | null): number | null {
    if (name === null) return null;
    let id = this.classIds.get(name);
    if (id === undefined) {
      id = this.project.classes.ensure(name);
      this.classIds.set(name, id);
    }
    return id;
  }

  /** Writes one outcome (inside the batch's transaction) and says which count it adds to. */
  private write(p: Pending): Tally {
    if (p.kind === 'error') {
      this.project.imports.addError(this.importId, p.error);
      return null;
    }
    const { item, known, facts } = p;
    const image: NewImage = {
      path: item.path,
      pathBytes: item.pathBytes,
      relPath: item.relPath,
      sha256: facts.sha256,
      phash: facts.phash,
      width: facts.width,
      height: facts.height,
      bytes: facts.bytes,
      format: facts.format,
      capturedAt: facts.capturedAt,
      mtimeMs: facts.mtimeMs,
      classId: null,
      group: item.group,
    };
    if (known) {
      // The file was touched (new mtime) or rewritten. Either way the row gets the
      // current facts, so the next re-import skips it without reading; only new
      // content counts as an update. Labels and groups the user set stay.
      this.project.images.updateContent(known.id, image);
      return known.sha256 === facts.sha256 ? 'skippedDuplicates' : 'updated';
    }
    image.classId = this.classId(item.className);
    const duplicate = this.project.images.hasContent(facts.sha256);
    this.project.images.insert(image, this.importId);
    // An exact duplicate is still imported (it has its own path and maybe its own label).
    return duplicate ? 'importedDuplicate' : 'imported';
  }
}
