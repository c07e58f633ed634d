// A real project (real SQLite, real migrations) filled with image rows as an import
// would write them, without image files: the split engine reads only the rows.
import path from 'node:path';
import { createProject, type Project } from '../../../electron/engine/project/project.js';
import { hashFrom } from '../../unit/splits/make-images.js';

export interface Row {
  className: string | null;
  group?: string | null;
  relPath?: string;
  phash?: string;
  capturedAt?: string | null;
  excluded?: boolean;
  sha256?: string;
}

let counter = 0;

export function addImages(p: Project, rows: Row[]): number[] {
  const ids: number[] = [];
  p.db.transaction(() => {
    for (const r of rows) {
      const n = ++counter;
      const rel = r.relPath ?? `${r.className ?? 'unlabeled'}/img_${n}.jpg`;
      const abs = path.join('/photos', rel);
      const id = p.images.insert(
        {
          path: abs,
          pathBytes: Buffer.from(`${abs}#${n}`),
          relPath: rel,
          sha256: r.sha256 ?? n.toString(16).padStart(64, '0'),
          phash: r.phash ?? hashFrom(100_000 + n),
          width: 10,
          height: 10,
          bytes: 100,
          format: 'jpeg',
          capturedAt: r.capturedAt ?? null,
          mtimeMs: 0,
          classId: r.className === null ? null : p.classes.ensure(r.className),
          group: r.group ?? null,
        },
        null,
      );
      if (r.excluded) p.db.prepare(`UPDATE images SET status = 'excluded' WHERE id = ?`).run(id);
      ids.push(id);
    }
  })();
  return ids;
}

export function seededProject(dir: string, rows: Row[]): Project {
  const p = createProject(dir);
  addImages(p, rows);
  return p;
}

/** `n` labeled images spread over the classes in turn. */
export function labeled(n: number, classNames: string[], extra: (i: number) => Partial<Row> = () => ({})): Row[] {
  return Array.from({ length: n }, (_, i) => ({ className: classNames[i % classNames.length]!, ...extra(i) }));
}
