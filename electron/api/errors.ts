// Errors that cross the API: a code a program can act on, a message a person can read,
// and, for bad input, the field or file it is about.
import type { ZodError } from 'zod';

export type ApiErrorCode =
  | 'invalid_request'
  | 'unknown_method'
  | 'no_project'
  | 'not_found'
  | 'conflict'
  | 'busy'
  | 'io_error'
  | 'forbidden'
  | 'internal';

export interface ApiErrorShape {
  code: ApiErrorCode;
  message: string;
  field?: string;
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly field: string | undefined;
  constructor(code: ApiErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = field;
  }
  toJSON(): ApiErrorShape {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
  static fromShape(shape: ApiErrorShape): ApiError {
    return new ApiError(shape.code, shape.message, shape.field);
  }
}

/** Turns a zod failure into one readable message that names the first bad field. */
export function fromZodError(error: ZodError, what: string): ApiError {
  const issue = error.issues[0];
  // An unknown field is named by itself, not by the object that holds it.
  const path = issue ? [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])] : [];
  const field = path.length > 0 ? path.join('.') : undefined;
  const detail = issue ? issue.message : 'invalid';
  const message = field ? `${what}: field "${field}": ${detail}` : `${what}: ${detail}`;
  return new ApiError('invalid_request', message, field);
}

/** Any thrown value as an ApiError; unexpected errors keep their message but not their stack. */
/** Codes that mean "no room to write" (the engine's util/disk-full.ts words them with more context where it can). */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'SQLITE_FULL']);

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  if (e && typeof e.code === 'string' && NO_ROOM.has(e.code)) {
    // A request that met a full disk somewhere no step words it (SQLite rolls its
    // transaction back, so the change is simply not made): say so, not "internal".
    return new ApiError(
      'io_error',
      `The disk is full (${e.code}): the change could not be saved. Free some space on the disk that holds the project, then try again. (${e.message})`,
    );
  }
  if (e && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    return new ApiError('io_error', e.message);
  }
  return new ApiError('internal', e instanceof Error ? e.message : String(err));
}
