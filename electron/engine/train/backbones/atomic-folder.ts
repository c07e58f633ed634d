// Creates a whole folder at once: its files are written into a temporary sibling,
// each fsynced, then the sibling is renamed to the destination and the parent fsynced.
// A crash or a failed download leaves either no folder or a complete one — never a
// model.json without its shards.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../api/errors.js';

export interface FolderFile {
  name: string;
  data: Uint8Array | string;
}

export function writeFolderAtomic(destination: string, files: readonly FolderFile[]): void {
  const parent = path.dirname(destination);
  fs.mkdirSync(parent, { recursive: true });
  if (fs.existsSync(destination)) {
    throw new ApiError('conflict', `${destination} already exists; choose another name or remove it first`, 'destination');
  }
  const tmp = tempSibling(destination);
  try {
    fs.mkdirSync(tmp);
    for (const f of files) {
      const target = path.join(tmp, f.name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const fd = fs.openSync(target, 'w');
      try {
        fs.writeSync(fd, typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    fsyncDir(tmp);
    fs.renameSync(tmp, destination);
    fsyncDir(parent);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** A hidden name beside `destination`, on the same file system so the rename is atomic. */
export function tempSibling(destination: string): string {
  const rand = Math.random().toString(36).slice(2, 8);
  return path.join(path.dirname(destination), `.${path.basename(destination)}.${process.pid}.${rand}.tmp`);
}

function fsyncDir(dir: string): void {
  // Windows cannot open a directory for fsync; its rename is durable enough there.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
