// Paging through the images behind a confusion-matrix cell: which slice to ask
// evaluate.images for, what "Previous"/"Next" do, and the "1–24 of 57" line.
// Pure functions: the state class keeps the numbers, these decide with them.
import { formatCount } from '../../lib/format.js';

/** Tiles per page: three rows of a wide gallery, few enough to load at once. */
export const GALLERY_PAGE_SIZE = 24;

export interface PageState {
  offset: number;
  limit: number;
  /** How many images the query has in all (from the last answer). */
  total: number;
}

export interface PageInfo {
  /** 1-based. */
  page: number;
  pages: number;
  /** 1-based index of the first and last image shown; 0 and 0 when there are none. */
  from: number;
  to: number;
  hasPrevious: boolean;
  hasNext: boolean;
  /** "1–24 of 57", "No images" */
  text: string;
}

/** An offset that lies on a page boundary and inside 0..total (the last page when past the end). */
export function clampOffset(offset: number, total: number, limit: number): number {
  if (!(limit > 0) || !(total > 0) || !Number.isFinite(offset)) return 0;
  const lastPageStart = Math.floor((total - 1) / limit) * limit;
  const onBoundary = Math.floor(Math.max(0, offset) / limit) * limit;
  return Math.min(onBoundary, lastPageStart);
}

export function pageInfo(state: PageState): PageInfo {
  const { limit, total } = state;
  if (!(total > 0) || !(limit > 0)) {
    return { page: 1, pages: 1, from: 0, to: 0, hasPrevious: false, hasNext: false, text: 'No images' };
  }
  const offset = clampOffset(state.offset, total, limit);
  const pages = Math.ceil(total / limit);
  const page = offset / limit + 1;
  const from = offset + 1;
  const to = Math.min(total, offset + limit);
  return {
    page,
    pages,
    from,
    to,
    hasPrevious: page > 1,
    hasNext: page < pages,
    text: `${formatCount(from)}–${formatCount(to)} of ${formatCount(total)}`,
  };
}

/** The offset of the page before (-1) or after (+1), kept inside the images there are. */
export function stepOffset(state: PageState, direction: 1 | -1): number {
  return clampOffset(state.offset + direction * state.limit, state.total, state.limit);
}
