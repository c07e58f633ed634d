// A project is one folder: holdout.db (SQLite), thumbs/ (thumbnails keyed by content
// hash) and, later, caches, checkpoints and exports. Original images stay where they
// are; the project only references them.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import type { ProjectSummary } from '../../api/schemas.js';
import { openDatabase, schemaVersion, SchemaTooNewError } from '../store/database.js';
import { ClassesRepo } from '../store/classes-repo.js';
import { ImagesRepo } from '../store/images-repo.js';
import { ImportsRepo } from '../store/imports-repo.js';
import { MetaRepo } from '../store/meta-repo.js';

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
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

function isProjectDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, DB_FILE));
}

/** Creates a new project in `dir` (which may exist only if it is empty). */
export function createProject(dirInput: string, name?: string): Project {
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
  const db = openDatabase(path.join(dir, DB_FILE));
  const project = new Project(dir, db);
  db.transaction(() => {
    project.meta.set('name', name?.trim() || path.basename(dir));
    project.meta.set('created_at', new Date().toISOString());
  })();
  return project;
}

/** Opens an existing project, upgrading its schema if it is older. */
export function openProject(dirInput: string): Project {
  const dir = path.resolve(dirInput);
  if (!fs.existsSync(dir)) throw new ApiError('not_found', `${dir} does not exist`, 'dir');
  if (!isProjectDir(dir)) {
    throw new ApiError('not_found', `${dir} is not a Holdout project (it has no ${DB_FILE})`, 'dir');
  }
  let db: Database.Database;
  try {
    db = openDatabase(path.join(dir, DB_FILE));
  } catch (err) {
    if (err instanceof SchemaTooNewError) throw new ApiError('conflict', err.message, 'dir');
    throw new ApiError('io_error', `${path.join(dir, DB_FILE)} could not be opened: ${(err as Error).message}`, 'dir');
  }
  fs.mkdirSync(path.join(dir, THUMBS_DIR), { recursive: true });
  const project = new Project(dir, db);
  project.imports.failInterrupted();
  return project;
}

/** Opens the project in `dir`, or creates it there when the folder has none yet (the CLI's import). */
export function openOrCreateProject(dir: string): Project {
  return isProjectDir(path.resolve(dir)) ? openProject(dir) : createProject(dir);
}
