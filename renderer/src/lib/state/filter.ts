// The grid's filter as the sidebar chooses it, and the stable key the page cache uses.
import type { ImageFilter, ImageStatus } from '../../../../electron/api/schemas.js';

/** Which images the grid shows: all, one class, or the unlabeled ones. */
export type ClassChoice = { kind: 'all' } | { kind: 'class'; id: number } | { kind: 'unlabeled' };
export type StatusChoice = 'all' | ImageStatus;

export const PAGE_SIZE = 200;

export function filterOf(choice: ClassChoice, status: StatusChoice): ImageFilter {
  const filter: ImageFilter = {};
  if (choice.kind === 'class') filter.classId = choice.id;
  else if (choice.kind === 'unlabeled') filter.classId = null;
  if (status !== 'all') filter.status = status;
  return filter;
}

export function filterKey(filter: ImageFilter): string {
  const c = filter.classId === undefined ? '*' : filter.classId === null ? 'none' : String(filter.classId);
  return `class=${c};status=${filter.status ?? '*'}`;
}
