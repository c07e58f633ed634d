// Features of images under a frozen backbone, on disk in the project:
//   <project>/cache/features/<keyHash>/key.json           what the key was (for people and pruning)
//   <project>/cache/features/<keyHash>/<sha[0:2]>/<sha>.f32
// keyHash is the sha256 of the canonical key (feature-key.ts), sha the image's content
// hash, so a cache is shared by every run with the same key and never read by another.
// A .f32 file is featureDim float32 values (little-endian, as every platform Electron
// runs on) followed by the CRC-32 of those bytes (uint32 LE).
//
// Files are written to a temporary name and renamed, without fsync: a cache can always
// be rebuilt from the images, so durability is not worth an fsync per image (thousands
// a minute). What a crash or power loss can leave — a short file, or one of the right
// length whose blocks never reached the disk (zeros) — fails the length or CRC check on
// read, is deleted, and counts as a miss.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { crc32 } from 'node:zlib';
import { ApiError } from '../../../api/errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { featureKeyHash, normalizedKey, type FeatureCacheKey } from './feature-key.js';

export const FEATURES_DIR = path.join('cache', 'features');
const KEY_FILE = 'key.json';
const CRC_BYTES = 4;
/** A temporary file this old belongs to a writer that died, not to one still writing. */
const STALE_TMP_MS = 60 * 60 * 1000;

export interface FeatureCacheStats {
  keyHash: string;
  dir: string;
  entries: number;
  bytes: number;
}

export function featureCachesRoot(projectDir: string): string {
  return path.join(projectDir, FEATURES_DIR);
}

function checkSha(sha: string): void {
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new ApiError('invalid_request', `an image content hash must be 64 lowercase hex digits, got ${JSON.stringify(sha)}`, 'sha256');
}

function readFully(fd: number, into: Uint8Array): boolean {
  let at = 0;
  while (at < into.byteLength) {
    const n = fs.readSync(fd, into, at, into.byteLength - at, at);
    if (n === 0) return false;
    at += n;
  }
  return true;
}

export class FeatureCache {
  readonly keyHash: string;
  readonly dir: string;
  readonly featureDim: number;
  private readonly key: Record<string, unknown>;
  private keyFileWritten = false;

  constructor(projectDir: string, key: FeatureCacheKey) {
    this.key = normalizedKey(key);
    this.keyHash = featureKeyHash(key);
    this.featureDim = key.featureDim;
    this.dir = path.join(featureCachesRoot(projectDir), this.keyHash);
  }

  fileOf(sha: string): string {
    checkSha(sha);
    return path.join(this.dir, sha.slice(0, 2), `${sha}.f32`);
  }

  private get fileBytes(): number {
    return this.featureDim * 4 + CRC_BYTES;
  }

  /** The cached features of the image, or null (a miss; a damaged file is deleted). */
  get(sha: string): Float32Array | null {
    const file = this.fileOf(sha);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let features: Float32Array | null = null;
    try {
      if (fs.fstatSync(fd).size === this.fileBytes) {
        const values = new Float32Array(this.featureDim);
        const bytes = new Uint8Array(values.buffer);
        const trailer = Buffer.alloc(CRC_BYTES);
        if (readFully(fd, bytes) && fs.readSync(fd, trailer, 0, CRC_BYTES, bytes.byteLength) === CRC_BYTES && trailer.readUInt32LE(0) === crc32(bytes)) {
          features = values;
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    if (!features) removeQuietly(file);
    return features;
  }

  /** Whether a file of the right size is there (its content is checked by get). */
  has(sha: string): boolean {
    try {
      return fs.statSync(this.fileOf(sha)).size === this.fileBytes;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /**
   * Stores the image's features. Safe when several processes put the same image at once:
   * each writes its own temporary file and the renames replace one whole file by another.
   */
  put(sha: string, features: Float32Array): void {
    const file = this.fileOf(sha);
    if (features.length !== this.featureDim) {
      throw new Error(`features of ${sha} have ${features.length} values; this cache holds ${this.featureDim} per image`);
    }
    const values = new Uint8Array(features.buffer, features.byteOffset, features.byteLength);
    const data = Buffer.alloc(this.fileBytes);
    data.set(values, 0);
    data.writeUInt32LE(crc32(values), values.byteLength);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.writeKeyFile();
    const tmp = `${file}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, data);
    try {
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      // Windows refuses to replace a file another process has open: that one holds the same features.
      if (!this.has(sha)) throw err;
    }
  }

  stats(): FeatureCacheStats {
    let entries = 0;
    let bytes = 0;
    for (const sub of readdirOrEmpty(this.dir)) {
      const subDir = path.join(this.dir, sub);
      if (sub === KEY_FILE || !fs.statSync(subDir).isDirectory()) continue;
      for (const f of readdirOrEmpty(subDir)) {
        if (!f.endsWith('.f32')) continue;
        entries++;
        bytes += fs.statSync(path.join(subDir, f)).size;
      }
    }
    return { keyHash: this.keyHash, dir: this.dir, entries, bytes };
  }

  private writeKeyFile(): void {
    if (this.keyFileWritten) return;
    const file = path.join(this.dir, KEY_FILE);
    if (!fs.existsSync(file)) {
      const description = {
        keyHash: this.keyHash,
        key: this.key,
        files: `<sha[0:2]>/<sha>.f32: ${this.featureDim} float32 little-endian, then the CRC-32 of those bytes (uint32 little-endian)`,
        createdAt: new Date().toISOString(),
      };
      writeFileAtomic(file, `${JSON.stringify(description, null, 2)}\n`);
    }
    this.keyFileWritten = true;
  }
}

/** Removing a damaged file only saves a later read the check; failing to (Windows: open elsewhere) is harmless. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // left for the next reader to find damaged again
  }
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export interface PruneResult {
  /** Key hashes of the caches removed. */
  removed: string[];
  bytes: number;
}

/**
 * Removes every feature cache whose key is not in `keep` (keys or key hashes), and
 * temporary files that writers which died left in the kept ones.
 */
export function pruneFeatureCaches(projectDir: string, keep: Iterable<FeatureCacheKey | string>): PruneResult {
  const keepHashes = new Set([...keep].map((k) => (typeof k === 'string' ? k : featureKeyHash(k))));
  const root = featureCachesRoot(projectDir);
  const result: PruneResult = { removed: [], bytes: 0 };
  const staleBefore = Date.now() - STALE_TMP_MS;
  for (const name of readdirOrEmpty(root)) {
    const dir = path.join(root, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    if (keepHashes.has(name)) {
      for (const sub of readdirOrEmpty(dir)) {
        const subDir = path.join(dir, sub);
        if (!fs.statSync(subDir).isDirectory()) continue;
        for (const f of readdirOrEmpty(subDir)) {
          const file = path.join(subDir, f);
          if (f.endsWith('.tmp') && fs.statSync(file).mtimeMs < staleBefore) fs.rmSync(file, { force: true });
        }
      }
      continue;
    }
    result.bytes += sizeOf(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    result.removed.push(name);
  }
  return result;
}

function sizeOf(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirOrEmpty(p).reduce((n, e) => n + sizeOf(path.join(p, e)), 0);
}
