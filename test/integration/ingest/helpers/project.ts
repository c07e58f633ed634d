// A fresh project in a temporary folder, and ways to look inside it.
import fs from 'node:fs';
import path from 'node:path';
import type { ImportSource, ImportSummary } from '../../../../electron/api/schemas.js';
import { startImport, type ImportOptions } from '../../../../electron/engine/ingest/start-import.js';
import { createProject, type Project } from '../../../../electron/engine/project/project.js';
import { tempDir } from '../../../fixtures/images/make-images.js';

export function newProject(): Project {
  const dir = path.join(tempDir('holdout-project-'), 'project');
  return createProject(dir);
}

export function removeProject(project: Project): void {
  project.close();
  fs.rmSync(path.dirname(project.dir), { recursive: true, force: true });
}

export async function importInto(project: Project, source: ImportSource, options: Partial<ImportOptions> = {}): Promise<ImportSummary> {
  return startImport(project, { source, ...options }).done;
}

export interface ImageRow {
  id: number;
  path: string;
  path_bytes: Buffer;
  rel_path: string;
  sha256: string;
  phash: string;
  width: number;
  height: number;
  bytes: number;
  format: string;
  captured_at: string | null;
  mtime_ms: number;
  class_name: string | null;
  group_name: string | null;
  import_id: number;
}

export function imageRows(project: Project): ImageRow[] {
  return project.db
    .prepare(
      `SELECT i.*, c.name AS class_name FROM images i LEFT JOIN classes c ON c.id = i.class_id ORDER BY i.rel_path`,
    )
    .all() as ImageRow[];
}

/** Every row is complete and has its thumbnail on disk: what "never half-inserted" means. */
export function checkRowsComplete(project: Project): string[] {
  const problems: string[] = [];
  for (const row of imageRows(project)) {
    if (!/^[0-9a-f]{64}$/.test(row.sha256)) problems.push(`${row.rel_path}: bad sha256`);
    if (!/^[0-9a-f]{16}$/.test(row.phash)) problems.push(`${row.rel_path}: bad phash`);
    if (!(row.width > 0 && row.height > 0 && row.bytes > 0)) problems.push(`${row.rel_path}: missing size`);
    if (!row.format) problems.push(`${row.rel_path}: missing format`);
    if (!fs.existsSync(project.thumbPath(row.sha256))) problems.push(`${row.rel_path}: no thumbnail`);
  }
  return problems;
}

/** Temporary thumbnails left behind. */
export function tmpLeftovers(project: Project): string[] {
  const dir = path.join(project.thumbsDir, '.tmp');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}
