// Reads a file the user named on the command line (a labels CSV, a training
// configuration) after checking what it is: a device such as /dev/zero or a pipe would be
// read forever, and a huge file would fill memory before any parser could refuse it.
import fs from 'node:fs';
import { ApiError } from '../api/errors.js';

export function readInputFile(file: string, opts: { field: string; what: string; maxBytes: number }): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new ApiError('not_found', `${file} does not exist`, opts.field);
    throw new ApiError('io_error', `${file} could not be read: ${e.message}`, opts.field);
  }
  if (stat.isDirectory()) throw new ApiError('invalid_request', `${file} is a folder, not ${opts.what}`, opts.field);
  if (!stat.isFile()) throw new ApiError('invalid_request', `${file} is not a regular file (a device or a pipe?), not ${opts.what}`, opts.field);
  if (stat.size > opts.maxBytes) {
    throw new ApiError('invalid_request', `${file} is ${Math.ceil(stat.size / 1024 / 1024)} MB, over the limit of ${Math.round(opts.maxBytes / 1024 / 1024)} MB for ${opts.what}`, opts.field);
  }
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new ApiError('io_error', `${file} could not be read: ${(err as Error).message}`, opts.field);
  }
}
