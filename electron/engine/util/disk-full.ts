// One treatment for "there is no room to write": the disk is full (ENOSPC), the user's
// quota is used up (EDQUOT), a file hit the largest size the system allows (EFBIG), or
// SQLite could not grow the database for any of these (SQLITE_FULL). Each becomes one
// message a person can act on — what could not be written, where, and what to do —
// instead of "ENOSPC: no space left on device, write" or an "internal" error.
import { ApiError } from '../../api/errors.js';

export type DiskFullCode = 'ENOSPC' | 'EDQUOT' | 'EFBIG' | 'SQLITE_FULL';

const CODES: ReadonlySet<string> = new Set<DiskFullCode>(['ENOSPC', 'EDQUOT', 'EFBIG', 'SQLITE_FULL']);

/**
 * Which kind of "no room" this error is, or null. Follows `cause` (a wrapped error) a
 * few levels, and recognises the errno in a message when a library dropped the code
 * (libvips and some stream errors only keep the text).
 */
export function diskFullCode(err: unknown): DiskFullCode | null {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CODES.has(code)) return code as DiskFullCode;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string') {
      const named = /\b(ENOSPC|EDQUOT|EFBIG)\b/.exec(message);
      if (named) return named[1] as DiskFullCode;
      if (/no space left on device/i.test(message)) return 'ENOSPC';
      if (/database or disk is full/i.test(message)) return 'SQLITE_FULL';
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export function isDiskFull(err: unknown): boolean {
  return diskFullCode(err) !== null;
}

/** Whether an error is one of ours already worded by diskFullError (not to be wrapped again). */
export function isWordedDiskFull(err: unknown): err is ApiError {
  return err instanceof ApiError && (err as ApiError & { diskFull?: boolean }).diskFull === true;
}

export interface DiskFullContext {
  /** What could not be saved, e.g. "the thumbnail of an image", "checkpoint epoch-0003". */
  what: string;
  /** The file or folder it was being written to (absolute). */
  path: string;
  /** What to do once there is room, e.g. "import the same folder again". */
  retry: string;
  /** What is safe, said only where the caller made sure of it, e.g. "images imported before then were kept". */
  kept?: string;
  /** The request field the path came from (e.g. "outDir"), if a user chose it. */
  field?: string;
}

function why(code: DiskFullCode): string {
  switch (code) {
    case 'EDQUOT':
      return 'your disk quota is used up';
    case 'EFBIG':
      return 'the file would be larger than this disk or system allows';
    default:
      return 'the disk is full';
  }
}

/** "The disk is full: <what> could not be written to <path>. Free some space …, then <retry>. <kept>." */
export function diskFullMessage(code: DiskFullCode, ctx: DiskFullContext): string {
  const reason = why(code);
  const fix =
    code === 'EFBIG'
      ? 'Choose a folder on a disk that allows larger files (or raise the file size limit)'
      : 'Free some space on that disk (delete or move files you no longer need), or choose a folder on another disk';
  const kept = ctx.kept ? ` ${ctx.kept[0]!.toUpperCase()}${ctx.kept.slice(1)}.` : '';
  return `${reason[0]!.toUpperCase()}${reason.slice(1)}: ${ctx.what} could not be written to ${ctx.path}. ${fix}, then ${ctx.retry}.${kept}`;
}

/** The error to throw (an io_error ApiError whose message follows diskFullMessage). */
export function diskFullError(err: unknown, ctx: DiskFullContext): ApiError {
  if (isWordedDiskFull(err)) return err;
  const error = new ApiError('io_error', diskFullMessage(diskFullCode(err) ?? 'ENOSPC', ctx), ctx.field) as ApiError & { diskFull?: boolean };
  error.diskFull = true;
  error.cause = err;
  return error;
}

/** Throws the worded error if `err` is a disk-full error; otherwise returns, and the caller rethrows `err` as it was. */
export function throwIfDiskFull(err: unknown, ctx: DiskFullContext): void {
  if (isWordedDiskFull(err)) throw err;
  if (isDiskFull(err)) throw diskFullError(err, ctx);
}
