// Groups from a regular expression on the file name, e.g. "^(.+)_frame\d+" puts every
// frame of one video in one group. The key is the first capture group when the pattern
// has one and it matched, else the whole match; a file name that does not match is a
// group of its own.
//
// A user-typed pattern is untrusted: some patterns backtrack exponentially on some
// names (ReDoS). Three guards: a length limit, a refusal of the classic shape of such
// patterns (a repetition of a repetition, like "(a+)+"), and a time limit on the whole
// matching pass (node:vm interrupts a running regular expression; measured: a pattern
// that would run for hours stops within the limit).
import vm from 'node:vm';
import { ApiError } from '../../api/errors.js';

export const MAX_PATTERN_LENGTH = 200;
export const MATCH_TIME_LIMIT_MS = 2000;

export function fileNameOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash < 0 ? relPath : relPath.slice(slash + 1);
}

/** Compiles a user's pattern, or throws an ApiError naming `field` and saying what to fix. */
export function compileGroupPattern(pattern: string, field: string): RegExp {
  if (pattern.length === 0) throw new ApiError('invalid_request', 'the group pattern is empty: type a regular expression', field);
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new ApiError('invalid_request', `the group pattern is ${pattern.length} characters long; keep it under ${MAX_PATTERN_LENGTH}`, field);
  }
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    throw new ApiError('invalid_request', `the group pattern is not a valid regular expression: ${(err as Error).message}`, field);
  }
  if (hasNestedRepetition(pattern)) {
    throw new ApiError(
      'invalid_request',
      'the group pattern repeats a repetition (like "(a+)+"), which can take practically forever on some file names; remove the outer or inner "+" or "*"',
      field,
    );
  }
  return re;
}

const UNBOUNDED = /^(?:[+*]|\{\d+,\})/;

/**
 * True when a group that contains an unbounded repetition (+, *, {n,}) is itself
 * repeated without bound. A scanner over the pattern's text: escapes and character
 * classes are skipped, each open group remembers whether it contains a repetition.
 */
export function hasNestedRepetition(pattern: string): boolean {
  const stack: boolean[] = [false];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      i += 2;
    } else if (ch === '[') {
      i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
    } else if (ch === '(') {
      stack.push(false);
      i++;
    } else if (ch === ')') {
      const inner = stack.length > 1 ? stack.pop()! : false;
      i++;
      const repeated = UNBOUNDED.exec(pattern.slice(i));
      if (inner && repeated) return true;
      if (inner || repeated) stack[stack.length - 1] = true;
    } else {
      const repeated = UNBOUNDED.exec(pattern.slice(i));
      if (repeated) {
        stack[stack.length - 1] = true;
        i += repeated[0].length;
      } else i++;
    }
  }
  return false;
}

/**
 * The group key of each file name (null: no match), under a time limit. Runs all names
 * in one vm call so the limit covers the whole pass, not each name.
 */
export function regexKeys(re: RegExp, fileNames: readonly string[], field: string, timeLimitMs = MATCH_TIME_LIMIT_MS): (string | null)[] {
  const code = `names.map((n) => { const m = re.exec(n); return m === null ? null : (m.length > 1 && m[1] !== undefined ? m[1] : m[0]); })`;
  try {
    // A fresh RegExp without the g or y flag: exec never carries lastIndex between names.
    const context = { names: fileNames, re: new RegExp(re.source, re.flags.replace(/[gy]/g, '')) };
    return vm.runInNewContext(code, context, { timeout: timeLimitMs }) as (string | null)[];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new ApiError(
        'invalid_request',
        `the group pattern took longer than ${timeLimitMs / 1000} s on the file names; simplify it (avoid repetitions that can match the same text in several ways)`,
        field,
      );
    }
    throw err;
  }
}
