// What "never loses data" is checked against: a snapshot of a project's images, labels
// and classes, and SQLite's own integrity check.
import type { Project } from '../../../electron/engine/project/project.js';

export interface ProjectState {
  images: { id: number; path: string; class_id: number | null; sha256: string }[];
  classes: { id: number; name: string }[];
}

export function projectState(project: Project): ProjectState {
  return {
    images: project.db.prepare('SELECT id, path, class_id, sha256 FROM images ORDER BY id').all() as ProjectState['images'],
    classes: project.db.prepare('SELECT id, name FROM classes ORDER BY id').all() as ProjectState['classes'],
  };
}

export function integrity(project: Project): string {
  return project.db.pragma('integrity_check', { simple: true }) as string;
}
