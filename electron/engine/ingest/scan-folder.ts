// Lists the images of a folder and what the layout says about each:
//   photos/cat.jpg           → unlabeled (files at the top level)
//   photos/cats/a.jpg        → class "cats", no group
//   photos/cats/day1/b.jpg   → class "cats", group "day1" (the folders below the class)
// With `unlabeled`, no class is assigned and the group is the whole relative folder.
// Names are read as bytes so that files whose names are not UTF-8 still import.
// Symbolic links are followed; each real folder is walked once, which also breaks
// cycles (a link to a parent folder). Hidden files and OS clutter are skipped silently;
// anything else that is not an image is listed with its reason. Runs on the main
// thread, so it only uses async calls and never reads a file.
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImportError } from '../../api/schemas.js';
import { ioErrorReason } from './decode-errors.js';
import { isJunkFile, isWalkableFolder, judgeName } from './file-types.js';
import type { ImportItem, Listing } from './import-item.js';
import { displayPath, joinPathBytes } from './path-bytes.js';

export interface ScanOptions {
  unlabeled?: boolean;
  signal?: AbortSignal;
  /** Called after each folder with the number of images found so far. */
  onFound?: (count: number) => void;
  /** Folders never entered, e.g. the project's own folder when it lives among the photos. */
  skipFolders?: string[];
}

interface PendingDir {
  bytes: Buffer;
  /** Folder names from the root down to this folder, readable and NFC-normalised. */
  rel: string[];
  /** Real paths of the folders above, to tell a cycle from a second route to one folder. */
  ancestors: string[];
}

// Class and group names come from folder names; macOS writes them decomposed (NFD),
// a CSV typed elsewhere composed (NFC): normalise so "Café" is one class.
function nameOf(bytes: Buffer): string {
  return displayPath(bytes).normalize('NFC');
}

function layout(rel: string[], unlabeled: boolean): { className: string | null; group: string | null } {
  if (unlabeled) return { className: null, group: rel.length > 0 ? rel.join('/') : null };
  if (rel.length === 0) return { className: null, group: null };
  return { className: rel[0]!, group: rel.length > 1 ? rel.slice(1).join('/') : null };
}

export async function scanFolder(root: string, options: ScanOptions = {}): Promise<Listing> {
  const items: ImportItem[] = [];
  const errors: ImportError[] = [];
  const visited = new Set<string>();
  const skip = new Set<string>();
  for (const folder of options.skipFolders ?? []) {
    try {
      skip.add((await fs.realpath(Buffer.from(folder), { encoding: 'buffer' })).toString('latin1'));
    } catch {
      // A folder that does not exist cannot be met.
    }
  }
  const stack: PendingDir[] = [{ bytes: Buffer.from(path.resolve(root)), rel: [], ancestors: [] }];

  while (stack.length > 0) {
    if (options.signal?.aborted) break;
    const dir = stack.pop()!;
    const shown = displayPath(dir.bytes);
    let real: string;
    let entries: Dirent<Buffer>[];
    try {
      // latin1 maps bytes to a string one to one: a faithful key for any name.
      real = (await fs.realpath(dir.bytes, { encoding: 'buffer' })).toString('latin1');
      if (dir.ancestors.includes(real)) {
        errors.push({ path: shown, reason: 'symbolic link loop: this folder link leads back to a folder that contains it; skipped' });
        continue;
      }
      if (skip.has(real)) continue;
      if (visited.has(real)) {
        errors.push({ path: shown, reason: 'skipped: this folder link leads to a folder that is already being imported' });
        continue;
      }
      visited.add(real);
      entries = await fs.readdir(dir.bytes, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      errors.push({ path: shown, reason: `folder ${ioErrorReason(err)}; the images in it were not imported` });
      continue;
    }
    entries.sort((a, b) => Buffer.compare(a.name, b.name));
    const subdirs: PendingDir[] = [];
    for (const entry of entries) {
      const name = displayPath(entry.name);
      const full = joinPathBytes(dir.bytes, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        if (name.startsWith('.')) continue;
        try {
          const st = await fs.stat(full);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const reason =
            code === 'ENOENT' ? 'broken symbolic link: the file it points to does not exist' : ioErrorReason(err);
          errors.push({ path: displayPath(full), reason });
          continue;
        }
      }
      if (isDir) {
        if (isWalkableFolder(name)) {
          subdirs.push({ bytes: full, rel: [...dir.rel, nameOf(entry.name)], ancestors: [...dir.ancestors, real] });
        }
        continue;
      }
      if (isJunkFile(name)) continue;
      if (!isFile) {
        errors.push({ path: displayPath(full), reason: 'not a regular file (a device, pipe or socket)' });
        continue;
      }
      const verdict = judgeName(name);
      if (verdict.kind === 'error') {
        errors.push({ path: displayPath(full), reason: verdict.reason });
        continue;
      }
      items.push({
        pathBytes: full,
        path: displayPath(full),
        relPath: [...dir.rel, name].join('/'),
        ...layout(dir.rel, options.unlabeled ?? false),
      });
    }
    // Reverse so the stack pops sub-folders in name order (a stable, readable import order).
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
    options.onFound?.(items.length);
  }
  return { items, errors };
}
