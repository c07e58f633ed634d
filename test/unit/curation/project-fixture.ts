// A real project on disk with image rows written directly (the importer is tested on
// its own): each test states only the fields it is about.
import crypto from 'node:crypto';
import path from 'node:path';
import { createProject, type Project } from '../../../electron/engine/project/project.js';

export interface ImageSpec {
  name?: string;
  sha256?: string;
  phash?: string;
  width?: number;
  height?: number;
  bytes?: number;
  classId?: number | null;
  group?: string | null;
  relPath?: string;
}

let counter = 0;

export function newProject(tempDir: () => string): Project {
  return createProject(path.join(tempDir(), 'project'));
}

/** Inserts one image row; unique path and content unless the spec says otherwise. */
export function addImage(p: Project, spec: ImageSpec = {}): number {
  counter++;
  const name = spec.name ?? `img-${counter}.png`;
  const file = path.isAbsolute(name) ? name : path.join('/photos', name);
  return p.images.insert(
    {
      path: file,
      pathBytes: Buffer.from(file),
      relPath: spec.relPath ?? name,
      sha256: spec.sha256 ?? crypto.createHash('sha256').update(`${file}#${counter}`).digest('hex'),
      phash: spec.phash ?? crypto.createHash('md5').update(`${file}#${counter}`).digest('hex').slice(0, 16),
      width: spec.width ?? 100,
      height: spec.height ?? 100,
      bytes: spec.bytes ?? 1000,
      format: 'png',
      capturedAt: null,
      mtimeMs: 0,
      classId: spec.classId ?? null,
      group: spec.group ?? null,
    },
    null,
  );
}

export function addImages(p: Project, n: number, spec: ImageSpec = {}): number[] {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(addImage(p, spec));
  return ids;
}

export function classOf(p: Project, id: number): number | null {
  return (p.db.prepare('SELECT class_id AS c FROM images WHERE id = ?').get(id) as { c: number | null }).c;
}

export function statusOf(p: Project, id: number): { status: string; reason: string | null } {
  return p.db.prepare('SELECT status, exclude_reason AS reason FROM images WHERE id = ?').get(id) as {
    status: string;
    reason: string | null;
  };
}
