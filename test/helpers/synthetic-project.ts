// Builds a project with N image rows quickly, for tests and benchmarks of everything
// after import (the grid, curation views): a real project (real SQLite, made by the
// engine's createProject) with real WebP thumbnails made with sharp; rows cycle through
// a pool of them, since a grid page only shows a few hundred.
//
// By default the rows name originals that do not exist (/synthetic/photos/…), which is
// all the grid needs. With `originals`, every row names a real file under that folder:
// a pool of real JPEGs, hard-linked once per row (cheap: no bytes are copied), with the
// row's hash, size, format and dimensions those of the file and the thumbnail made from
// it. Then the detail panel's preview (the original, /media/image/<id>) loads as well.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { createProject } from '../../electron/engine/project/project.js';

export interface SyntheticProjectOptions {
  classes?: number;
  thumbPool?: number;
  /** A folder (emptied first) for real originals; without it, rows name files that do not exist. */
  originals?: string;
}

interface PoolEntry {
  sha: string;
  /** The pool's original, when `originals` is given. */
  file?: { path: string; bytes: number; width: number; height: number; mtimeMs: number };
}

const ORIGINAL_SIZE = { width: 640, height: 480 };

async function makePoolEntry(project: ReturnType<typeof createProject>, i: number, originals: string | undefined): Promise<PoolEntry> {
  const hue = (i * 47) % 360;
  const lightness = 30 + (i % 5) * 10;
  let sha: string;
  let webp: Buffer;
  let file: PoolEntry['file'];
  if (originals) {
    const jpeg = await sharp({
      create: { ...ORIGINAL_SIZE, channels: 3, background: `hsl(${hue}, 60%, ${lightness}%)` },
    })
      .jpeg({ quality: 85 })
      .toBuffer();
    sha = createHash('sha256').update(jpeg).digest('hex');
    // As the engine makes them: at most 256 px, WebP.
    webp = await sharp(jpeg).resize({ width: 256, height: 256, fit: 'inside' }).webp({ quality: 80, effort: 2 }).toBuffer();
    const p = path.join(originals, 'pool', `pool-${String(i).padStart(4, '0')}.jpg`);
    fs.writeFileSync(p, jpeg);
    file = { path: p, bytes: jpeg.length, ...ORIGINAL_SIZE, mtimeMs: fs.statSync(p).mtimeMs };
  } else {
    webp = await sharp({ create: { width: 160, height: 120, channels: 3, background: `hsl(${hue}, 60%, ${lightness}%)` } })
      .webp({ quality: 70 })
      .toBuffer();
    sha = createHash('sha256').update(`synthetic-${i}`).digest('hex');
  }
  const thumb = project.thumbPath(sha);
  fs.mkdirSync(path.dirname(thumb), { recursive: true });
  fs.writeFileSync(thumb, webp);
  return { sha, ...(file ? { file } : {}) };
}

export async function makeSyntheticProject(dir: string, count: number, options: SyntheticProjectOptions = {}): Promise<void> {
  const classCount = options.classes ?? 10;
  const poolSize = Math.min(options.thumbPool ?? 512, count);
  const { originals } = options;
  fs.rmSync(dir, { recursive: true, force: true });
  if (originals) {
    fs.rmSync(originals, { recursive: true, force: true });
    fs.mkdirSync(path.join(originals, 'pool'), { recursive: true });
    fs.mkdirSync(path.join(originals, 'photos'));
  }
  const project = createProject(dir, `${count} images`);
  const pool: PoolEntry[] = [];
  // A few at a time: sharp works on libuv's threads, so this keeps every core busy.
  for (let i = 0; i < poolSize; i += 8) {
    const batch = Array.from({ length: Math.min(8, poolSize - i) }, (_, k) => makePoolEntry(project, i + k, originals));
    pool.push(...(await Promise.all(batch)));
  }
  const classIds: number[] = [];
  for (let c = 0; c < classCount; c++) classIds.push(project.classes.ensure(`class ${String(c + 1).padStart(2, '0')}`));
  project.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const entry = pool[i % poolSize]!;
      const name = `img-${String(i).padStart(6, '0')}.jpg`;
      let p = `/synthetic/photos/${name}`;
      let facts = { width: 640 + (i % 7) * 100, height: 480 + (i % 5) * 80, bytes: 20_000 + ((i * 7919) % 500_000), mtimeMs: 0 };
      if (entry.file) {
        p = path.join(originals!, 'photos', name);
        fs.linkSync(entry.file.path, p); // a hard link shares the pool file's bytes, size and mtime
        facts = { width: entry.file.width, height: entry.file.height, bytes: entry.file.bytes, mtimeMs: entry.file.mtimeMs };
      }
      project.images.insert(
        {
          path: p,
          pathBytes: Buffer.from(p),
          relPath: name,
          sha256: entry.sha,
          phash: (BigInt(i) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn).toString(16).padStart(16, '0'),
          ...facts,
          format: 'jpeg',
          capturedAt: null,
          classId: i % 17 === 0 ? null : classIds[i % classCount]!,
          group: null,
        },
        null,
      );
    }
  })();
  project.close();
}
