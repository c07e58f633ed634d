// A project is one folder: holdout.db (SQLite), thumbs/ (thumbnails keyed by content
// hash) and, later, caches, checkpoints and exports. Original images stay where they
// are; the project only references them.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import type { ProjectSummary } from '../../api/schemas.js';
import { openDatabase, SchemaNeedsUpgradeError, schemaVersion, SchemaTooNewError } from '../store/database.js';
import { ClassesRepo } from '../store/classes-repo.js';
import { ImagesRepo } from '../store/images-repo.js';
import { ImportsRepo } from '../store/imports-repo.js';
import { MetaRepo } from '../store/meta-repo.js';
import { acquireProjectLock, type LockApp, type ProjectLock } from './project-lock.js';
import { isFileWritable, isFolderWritable, snapshotDatabase, type Snapshot } from './read-only.js';
import { diskFullError, isDiskFull } from '../util/disk-full.js';

export const DB_FILE = 'holdout.db';
export const THUMBS_DIR = 'thumbs';

export class Project {
  readonly images: ImagesRepo;
  readonly classes: ClassesRepo;
  readonly imports: ImportsRepo;
  readonly meta: MetaRepo;
  private closed = false;

  constructor(
    readonly dir: string,
    readonly db: Database.Database,
    /** How it was opened: its lock (when opened for changes) and, read-only, the copy it reads. */
    private readonly access: { lock?: ProjectLock; snapshot?: Snapshot } = {},
  ) {
    this.images = new ImagesRepo(db);
    this.classes = new ClassesRepo(db);
    this.imports = new ImportsRepo(db);
    this.meta = new MetaRepo(db);
  }

  get dbFile(): string {
    return path.join(this.dir, DB_FILE);
  }
  get thumbsDir(): string {
    return path.join(this.dir, THUMBS_DIR);
  }
  get name(): string {
    return this.meta.get('name') ?? path.basename(this.dir);
  }
  get isClosed(): boolean {
    return this.closed;
  }
  /** The folder cannot be written: the project is shown, never changed. */
  get readOnly(): boolean {
    return this.access.snapshot !== undefined;
  }

  /** Where the thumbnail of these bytes lives: thumbs/ab/abcdef….webp */
  thumbPath(sha256: string): string {
    return path.join(this.thumbsDir, sha256.slice(0, 2), `${sha256}.webp`);
  }

  summary(): ProjectSummary {
    return {
      dir: this.dir,
      name: this.name,
      schemaVersion: schemaVersion(this.db),
      imageCount: this.images.count(),
      classCount: this.classes.count(),
      createdAt: this.meta.get('created_at') ?? '',
      readOnly: this.readOnly,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } finally {
      this.access.lock?.release();
      this.access.snapshot?.remove();
    }
  }
}

function isProjectDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, DB_FILE));
}

export interface OpenProjectOptions {
  /**
   * Opened for changes by this app: takes the project's lock (holdout.lock), refused with
   * the holder's name while another Holdout has it. The desktop app, the web bridge and
   * the commands that change a project pass this.
   */
  lock?: LockApp;
  /**
   * Opened only to read (`holdout info`, `runs`, `export`…): no lock, so it works while
   * the app has the project open, and no recovery writes, which are the holder's to do.
   */
  reading?: boolean;
}

/** Creates a new project in `dir` (which may exist only if it is empty). */
export function createProject(dirInput: string, name?: string, options: OpenProjectOptions = {}): Project {
  const dir = path.resolve(dirInput);
  if (isProjectDir(dir)) {
    throw new ApiError('conflict', `${dir} is already a Holdout project: open it instead`, 'dir');
  }
  if (fs.existsSync(dir)) {
    const st = fs.statSync(dir);
    if (!st.isDirectory()) throw new ApiError('invalid_request', `${dir} is a file, not a folder`, 'dir');
    if (fs.readdirSync(dir).length > 0) {
      throw new ApiError(
        'conflict',
        `${dir} is not empty: choose an empty or new folder for the project (your images can live anywhere else)`,
        'dir',
      );
    }
  }
  fs.mkdirSync(path.join(dir, THUMBS_DIR), { recursive: true });
  const lock = options.lock ? acquireProjectLock(dir, options.lock) : undefined;
  let db: Database.Database;
  try {
    db = openDatabase(path.join(dir, DB_FILE));
  } catch (err) {
    lock?.release();
    throw err;
  }
  const project = new Project(dir, db, lock ? { lock } : {});
  db.transaction(() => {
    project.meta.set('name', name?.trim() || path.basename(dir));
    project.meta.set('created_at', new Date().toISOString());
  })();
  return project;
}

/**
 * Opens an existing project, upgrading its schema if it is older (after a backup copy,
 * see openDatabase). A folder that cannot be written opens read-only.
 */
export function openProject(dirInput: string, options: OpenProjectOptions = {}): Project {
  const dir = path.resolve(dirInput);
  if (!fs.existsSync(dir)) throw new ApiError('not_found', `${dir} does not exist`, 'dir');
  if (!isProjectDir(dir)) {
    throw new ApiError('not_found', `${dir} is not a Holdout project (it has no ${DB_FILE})`, 'dir');
  }
  const file = path.join(dir, DB_FILE);
  if (!isFolderWritable(dir) || !isFileWritable(file)) return openReadOnly(dir, file);
  const lock = options.lock ? acquireProjectLock(dir, options.lock) : undefined;
  let project: Project;
  try {
    project = new Project(dir, openProjectDatabase(file), lock ? { lock } : {});
  } catch (err) {
    lock?.release();
    throw err;
  }
  fs.mkdirSync(path.join(dir, THUMBS_DIR), { recursive: true });
  // An import left 'running' by a process that ended; a reader must not judge the holder's.
  if (!options.reading) project.imports.failInterrupted();
  return project;
}

function openProjectDatabase(file: string, options: { readonly?: boolean } = {}): Database.Database {
  try {
    return openDatabase(file, options);
  } catch (err) {
    if (err instanceof SchemaTooNewError) throw new ApiError('conflict', err.message, 'dir');
    if (err instanceof SchemaNeedsUpgradeError) throw err;
    if (isDiskFull(err) || (/SQLITE_IOERR/.test(String((err as { code?: unknown }).code)) && nearlyFull(path.dirname(file)))) {
      // SQLite reports a full disk while creating its -wal/-shm files as a plain I/O error.
      throw diskFullError(err, { what: 'the project\'s working files (holdout.db-wal, holdout.db-shm)', path: path.dirname(file), retry: 'open the project again', field: 'dir' });
    }
    throw new ApiError('io_error', `${file} could not be opened: ${(err as Error).message}`, 'dir');
  }
}

/** Less room than SQLite needs to start its write-ahead log (a few pages). */
function nearlyFull(dir: string): boolean {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}

/** Reads a copy of the database, read-only; the folder is never written (no lock, no thumbs/). */
function openReadOnly(dir: string, file: string): Project {
  const snapshot = snapshotDatabase(file);
  try {
    return new Project(dir, openProjectDatabase(snapshot.file, { readonly: true }), { snapshot });
  } catch (err) {
    snapshot.remove();
    if (err instanceof SchemaNeedsUpgradeError) {
      throw new ApiError(
        'conflict',
        `${dir} was made by an older Holdout and needs an upgrade, but its folder is read-only: copy it somewhere you can write and open the copy`,
        'dir',
      );
    }
    throw err;
  }
}

/** Opens the project in `dir`, or creates it there when the folder has none yet (the CLI's import). */
export function openOrCreateProject(dir: string, options: OpenProjectOptions = {}): Project {
  return isProjectDir(path.resolve(dir)) ? openProject(dir, options) : createProject(dir, undefined, options);
}
