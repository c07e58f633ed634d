// The grid's filter as the sidebar chooses it, and the stable key the page cache uses.
import type { ImageFilter, ImageStatus } from '../../../../electron/api/schemas.js';

/** Which images the grid shows: all, one class, or the unlabeled ones. */
export type ClassChoice = { kind: 'all' } | { kind: 'class'; id: number } | { kind: 'unlabeled' };
export type StatusChoice = 'all' | ImageStatus;

export const PAGE_SIZE = 200;

/** `includeTest`: the "Show test images" toggle; off, the lockbox hides the current split's test images. */
export function filterOf(choice: ClassChoice, status: StatusChoice, includeTest = false): ImageFilter {
  const filter: ImageFilter = {};
  if (choice.kind === 'class') filter.classId = choice.id;
  else if (choice.kind === 'unlabeled') filter.classId = null;
  if (status !== 'all') filter.status = status;
  if (includeTest) filter.includeTest = true;
  return filter;
}

export function filterKey(filter: ImageFilter): string {
  const c = filter.classId === undefined ? '*' : filter.classId === null ? 'none' : String(filter.classId);
  return `class=${c};status=${filter.status ?? '*'};test=${filter.includeTest === true ? 'shown' : 'hidden'}`;
}
