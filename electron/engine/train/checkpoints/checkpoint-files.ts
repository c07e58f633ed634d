// Checkpoint folders written atomically and read only when whole. A checkpoint is built
// in <dir>/.tmp-<name>-<random>/ (each file fsynced, the manifest last, then the folder),
// and renamed to <dir>/<name> in one step: a crash leaves either no checkpoint of that
// name or a complete one, plus a .tmp- leftover that cleanTempDirs removes. Reading
// checks every file against the manifest first, so a damaged checkpoint is refused by
// name instead of silently loading wrong weights.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  decodeCheckpoint,
  encodeCheckpoint,
  MANIFEST_FILE,
  OPTIONAL_FILES,
  REQUIRED_FILES,
  WEIGHTS_FILE,
  type CheckpointContent,
  type Manifest,
} from './checkpoint-format.js';
import { throwIfDiskFull } from '../../util/disk-full.js';
import { exists, fsyncDir, sha256Hex, writeFileSynced } from './durable-fs.js';

export interface WrittenCheckpoint {
  /** The checkpoint folder, <dir>/<name>. */
  path: string;
  /** Total size of its files. */
  bytes: number;
  /** sha256 of weights.bin: identifies the weights it holds. */
  sha256: string;
}

export interface LoadedCheckpoint extends CheckpointContent {
  manifest: Manifest;
  /** sha256 of weights.bin, to compare with what the run's record says. */
  sha256: string;
}

/** A checkpoint that is incomplete or damaged; `file` is the file at fault. */
export class CheckpointError extends Error {
  constructor(
    readonly checkpoint: string,
    readonly file: string,
    problem: string,
  ) {
    super(`checkpoint ${checkpoint} cannot be used: ${file} ${problem}. It was not loaded; resume from another checkpoint or start the run again.`);
    this.name = 'CheckpointError';
  }
}

// Leftovers: .tmp- folders are never valid (an unfinished write, or a removal in
// progress); an .old- folder is a complete checkpoint set aside while a new one of the
// same name takes its place, and is restored if the crash came before the new one landed.
const TMP_PREFIX = '.tmp-';
const OLD_PATTERN = /^\.old-(.+)-[0-9a-f]{8}$/;

function checkName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new Error(`checkpoint name ${JSON.stringify(name)} must be letters, digits, '.', '_' or '-', not starting with '.' or '-'`);
  }
}

const suffix = (): string => randomBytes(4).toString('hex');

/**
 * Writes the checkpoint `name` in `dir`. On a full disk nothing of it is left (its
 * temporary folder is removed, an earlier checkpoint of that name stays) and the error
 * says so in words (see disk-full.ts): the run can resume from its last checkpoint once
 * there is room.
 */
export async function writeCheckpoint(dir: string, name: string, content: CheckpointContent): Promise<WrittenCheckpoint> {
  checkName(name);
  try {
    return await writeWhole(dir, name, content);
  } catch (err) {
    throwIfDiskFull(err, {
      what: `checkpoint ${name}`,
      path: dir,
      retry: 'resume the run: it continues from its last saved checkpoint',
      kept: 'this checkpoint was not saved (nothing partial was left); the earlier checkpoints are intact',
    });
    throw err;
  }
}

async function writeWhole(dir: string, name: string, content: CheckpointContent): Promise<WrittenCheckpoint> {
  const files = encodeCheckpoint(content);
  const firstCreated = await fs.mkdir(dir, { recursive: true });
  // New folders (checkpoints/, checkpoints/<run>/) are entries in their parents: make those durable too.
  if (firstCreated !== undefined) {
    for (let d = dir; d !== path.dirname(firstCreated); d = path.dirname(d)) await fsyncDir(path.dirname(d));
  }
  const tmp = path.join(dir, `${TMP_PREFIX}${name}-${suffix()}`);
  const final = path.join(dir, name);
  await fs.mkdir(tmp);
  let aside: string | null = null;
  try {
    const manifest: Manifest = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_FORMAT_VERSION, name, createdAt: new Date().toISOString(), files: [] };
    for (const [file, data] of files) {
      await writeFileSynced(path.join(tmp, file), data);
      manifest.files.push({ name: file, bytes: data.byteLength, sha256: sha256Hex(data) });
    }
    const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest, null, 1));
    await writeFileSynced(path.join(tmp, MANIFEST_FILE), manifestBytes);
    await fsyncDir(tmp);
    if (await exists(final)) {
      // A resumed run writing an epoch again: a folder cannot be renamed over a non-empty one.
      aside = path.join(dir, `.old-${name}-${suffix()}`);
      await fs.rename(final, aside);
    }
    await fs.rename(tmp, final);
    await fsyncDir(dir);
    const bytes = manifest.files.reduce((n, f) => n + f.bytes, manifestBytes.byteLength);
    return { path: final, bytes, sha256: manifest.files.find((f) => f.name === WEIGHTS_FILE)!.sha256 };
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    if (aside && !(await exists(final))) await fs.rename(aside, final).catch(() => undefined);
    aside = null;
    throw err;
  } finally {
    if (aside) await fs.rm(aside, { recursive: true, force: true });
  }
}

async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !(await exists(dir))) throw new CheckpointError(dir, dir, 'does not exist');
    if (code === 'ENOENT') throw new CheckpointError(dir, file, 'is missing (the checkpoint was never completely written)');
    throw new CheckpointError(dir, file, `could not be read (${(err as Error).message})`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new CheckpointError(dir, file, 'is not valid JSON');
  }
  if (manifest?.format !== CHECKPOINT_FORMAT || !Array.isArray(manifest.files)) throw new CheckpointError(dir, file, 'is not a Holdout checkpoint manifest');
  if (manifest.version > CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(dir, file, `has format version ${manifest.version}, newer than this Holdout understands (${CHECKPOINT_FORMAT_VERSION})`);
  }
  return manifest;
}

/** Reads a checkpoint after checking every file's presence, size and sha256. */
export async function readCheckpoint(checkpointDir: string): Promise<LoadedCheckpoint> {
  const manifest = await readManifest(checkpointDir);
  const manifestFile = path.join(checkpointDir, MANIFEST_FILE);
  const known = new Set<string>([...REQUIRED_FILES, ...OPTIONAL_FILES]);
  const listed = new Set(manifest.files.map((f) => f.name));
  for (const f of manifest.files) if (!known.has(f.name)) throw new CheckpointError(checkpointDir, manifestFile, `lists an unknown file ${JSON.stringify(f.name)}`);
  for (const f of REQUIRED_FILES) if (!listed.has(f)) throw new CheckpointError(checkpointDir, manifestFile, `does not list ${f}`);
  if (listed.has('optimizer.json') !== listed.has('optimizer.bin')) {
    throw new CheckpointError(checkpointDir, manifestFile, 'lists only one of optimizer.json and optimizer.bin');
  }
  const files = new Map<string, Uint8Array>();
  for (const entry of manifest.files) {
    const file = path.join(checkpointDir, entry.name);
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CheckpointError(checkpointDir, file, code === 'ENOENT' ? 'is missing' : `could not be read (${(err as Error).message})`);
    }
    if (data.byteLength !== entry.bytes) throw new CheckpointError(checkpointDir, file, `has ${data.byteLength} bytes, the manifest says ${entry.bytes} (truncated or replaced)`);
    if (sha256Hex(data) !== entry.sha256) throw new CheckpointError(checkpointDir, file, 'does not match its sha256 in the manifest (the file is corrupt)');
    files.set(entry.name, data);
  }
  try {
    return { ...decodeCheckpoint(files), manifest, sha256: manifest.files.find((f) => f.name === WEIGHTS_FILE)!.sha256 };
  } catch (err) {
    throw new CheckpointError(checkpointDir, checkpointDir, `could not be decoded (${(err as Error).message})`);
  }
}

/** Removes a checkpoint: renamed to a .tmp- name first, so a crash mid-delete leaves no partial checkpoint. */
export async function removeCheckpoint(checkpointDir: string): Promise<void> {
  if (!(await exists(checkpointDir))) return;
  const doomed = path.join(path.dirname(checkpointDir), `${TMP_PREFIX}${path.basename(checkpointDir)}-${suffix()}`);
  await fs.rename(checkpointDir, doomed);
  await fs.rm(doomed, { recursive: true, force: true });
}

/** A run's checkpoint folder's entries; none when the run never wrote one. */
async function entriesOf(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export interface CleanResult {
  removed: string[];
  /** Checkpoints set aside by an overwrite that a crash interrupted, put back in place. */
  restored: string[];
}

/**
 * Clears what crashed writes left in a run's checkpoint folder. Call it only while no
 * process writes checkpoints into `dir` (before a resume): it cannot tell a crashed
 * write from one in progress.
 */
export async function cleanTempDirs(dir: string): Promise<CleanResult> {
  const result: CleanResult = { removed: [], restored: [] };
  const entries = await entriesOf(dir);
  for (const entry of entries.sort()) {
    const full = path.join(dir, entry);
    const old = OLD_PATTERN.exec(entry);
    if (old && !(await exists(path.join(dir, old[1]!))) && (await isWhole(full))) {
      await fs.rename(full, path.join(dir, old[1]!));
      result.restored.push(path.join(dir, old[1]!));
    } else if (old || entry.startsWith(TMP_PREFIX)) {
      await fs.rm(full, { recursive: true, force: true });
      result.removed.push(full);
    }
  }
  if (result.removed.length + result.restored.length > 0) await fsyncDir(dir);
  return result;
}

/** A checkpoint folder's own name (what writeCheckpoint is given by training). */
const EPOCH_FOLDER = /^epoch-\d{4,}$/;

/**
 * Before a run resumes (nothing else writes into its folder then): clears crashed writes
 * (cleanTempDirs), then removes whole epoch folders that no checkpoint row names — a
 * process killed between writing a checkpoint's files and recording them leaves one.
 * `referenced` are the run's checkpoint paths as the database stores them.
 */
export async function tidyCheckpointFolder(dir: string, referenced: readonly string[]): Promise<CleanResult> {
  const result = await cleanTempDirs(dir);
  const keep = new Set(referenced.map((p) => path.basename(p)));
  const entries = await entriesOf(dir);
  const orphans = entries.filter((e) => EPOCH_FOLDER.test(e) && !keep.has(e));
  for (const e of orphans) {
    await removeCheckpoint(path.join(dir, e));
    result.removed.push(path.join(dir, e));
  }
  if (orphans.length > 0) await fsyncDir(dir);
  return result;
}

async function isWhole(checkpointDir: string): Promise<boolean> {
  try {
    await readCheckpoint(checkpointDir);
    return true;
  } catch (err) {
    if (err instanceof CheckpointError) return false;
    throw err;
  }
}
