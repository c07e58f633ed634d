// Lists a folder for the browser UI's folder picker: sub-folders first, then image
// files, hidden entries left out. Capped so a folder of 100,000 photos stays quick.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import { extensionOf, judgeName } from '../ingest/file-types.js';

const MAX_ENTRIES = 2000;

export interface FolderListing {
  dir: string;
  parent: string | null;
  entries: { name: string; path: string; isDir: boolean }[];
}

export function listFolder(dirInput: string): FolderListing {
  const dir = path.resolve(dirInput.startsWith('~') ? path.join(os.homedir(), dirInput.slice(1)) : dirInput);
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApiError('not_found', `${dir} does not exist`, 'dir');
    if (code === 'ENOTDIR') throw new ApiError('invalid_request', `${dir} is a file, not a folder`, 'dir');
    if (code === 'EACCES' || code === 'EPERM') throw new ApiError('forbidden', `${dir} cannot be read (permission denied)`, 'dir');
    throw new ApiError('io_error', `${dir}: ${(err as Error).message}`, 'dir');
  }
  const dirs: FolderListing['entries'] = [];
  const files: FolderListing['entries'] = [];
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue;
    const full = path.join(dir, d.name);
    let isDir = d.isDirectory();
    if (d.isSymbolicLink()) {
      try {
        isDir = fs.statSync(full).isDirectory();
      } catch {
        continue; // a dangling or looping link is of no use in a picker
      }
    }
    if (isDir) dirs.push({ name: d.name, path: full, isDir: true });
    // The picker shows what an import would take (judged as the importer judges names) and CSV files.
    else if (judgeName(d.name).kind === 'image' || extensionOf(d.name) === '.csv') files.push({ name: d.name, path: full, isDir: false });
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  const entries = [...dirs.sort(byName), ...files.sort(byName)].slice(0, MAX_ENTRIES);
  const parent = path.dirname(dir);
  return { dir, parent: parent === dir ? null : parent, entries };
}
