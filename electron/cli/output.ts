// The command line's output contract: stdout carries JSON lines only, one object per
// line, each with an "event" field; the last line is the command's result (or
// {"event":"error"}). Human-readable messages go to stderr.
import { ApiError, toApiError } from '../api/errors.js';
import { diskFullError, isDiskFull } from '../engine/util/disk-full.js';

/**
 * Set once whoever reads stdout has gone (`holdout runs | head -1`): the command goes on
 * to its end and its exit code, writing nothing more, instead of dying on EPIPE.
 */
let readerGone = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  readerGone = true;
});

export function emitLine(event: string, fields: Record<string, unknown>): void {
  if (readerGone) return;
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Prints the error as the final JSON line and on stderr; returns the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    emitLine('error', { code: 'usage', message: err.message });
    process.stderr.write(`holdout: ${err.message}\nRun 'holdout help' for usage.\n`);
    return 2;
  }
  const e = toApiError(err instanceof ApiError || !isDiskFull(err) ? err : asDiskFull(err));
  emitLine('error', e.toJSON() as unknown as Record<string, unknown>);
  process.stderr.write(`holdout: ${e.message}\n`);
  return 1;
}

/** A full disk that no engine step worded (SQLite's SQLITE_FULL while saving a change): the same message, not "internal". */
function asDiskFull(err: unknown): ApiError {
  const where = (err as NodeJS.ErrnoException).path;
  return diskFullError(err, {
    what: 'what this command was saving',
    path: typeof where === 'string' ? where : 'the project folder',
    retry: 'run the command again',
    kept: 'changes saved before then were kept',
  });
}
