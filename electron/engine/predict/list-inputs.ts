// Turns what a person handed to Predict (files and folders, absolute paths) into the
// list of image files to predict on. Folders are walked by the importer's own walk
// (scan-folder: symbolic links followed once, hidden files and OS clutter skipped,
// image extensions the importer accepts), so Predict and Import agree on what a folder
// holds. A file named directly is taken whatever its extension: its bytes decide later
// whether it is an image, and the reason is reported for that file alone.
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import { ioErrorReason } from '../ingest/decode-errors.js';
import { scanFolder } from '../ingest/scan-folder.js';

export interface InputFile {
  /** Readable absolute path, for results and messages. */
  path: string;
  /** The exact bytes of the path: what to open. */
  pathBytes: Buffer;
}

export interface InputListing {
  files: InputFile[];
  /** Paths refused before reading: a missing file, a folder that cannot be read, a non-image in a folder. */
  errors: { path: string; reason: string }[];
}

export async function listInputs(paths: readonly string[]): Promise<InputListing> {
  if (paths.length === 0) throw new ApiError('invalid_request', 'give at least one image file or folder to predict on', 'paths');
  const files: InputFile[] = [];
  const errors: InputListing['errors'] = [];
  const seen = new Set<string>();
  const add = (file: InputFile) => {
    const key = file.pathBytes.toString('latin1');
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const given of paths) {
    if (!path.isAbsolute(given)) {
      throw new ApiError('invalid_request', `paths must be absolute; "${given}" is relative`, 'paths');
    }
    let st: Awaited<ReturnType<typeof fs.stat>>;
    try {
      st = await fs.stat(given);
    } catch (err) {
      errors.push({ path: given, reason: ioErrorReason(err) });
      continue;
    }
    if (st.isDirectory()) {
      const listing = await scanFolder(given, { unlabeled: true });
      // Path order, as the importer sorts a folder: a folder's files next to its sub-folders'.
      listing.items.sort((a, b) => Buffer.compare(a.pathBytes, b.pathBytes));
      for (const item of listing.items) add({ path: item.path, pathBytes: item.pathBytes });
      errors.push(...listing.errors);
    } else if (st.isFile()) {
      add({ path: path.resolve(given), pathBytes: Buffer.from(path.resolve(given)) });
    } else {
      errors.push({ path: given, reason: 'not a regular file (a device, pipe or socket)' });
    }
  }
  return { files, errors };
}
