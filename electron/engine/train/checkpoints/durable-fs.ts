// The few file-system steps a crash-safe write needs: write and fsync a file, fsync a
// folder (so a rename or a new entry in it survives a power loss), sha256 of bytes.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes a new file (refusing to overwrite one) and fsyncs it before returning. */
export async function writeFileSynced(file: string, data: Uint8Array | string): Promise<void> {
  const fh = await fs.open(file, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * fsyncs a folder, making the entries created or renamed in it durable. Windows cannot
 * open a folder for fsync (and NTFS journals renames itself): there it is skipped.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(dir, 'r');
  } catch (err) {
    if (process.platform === 'win32' && ['EISDIR', 'EPERM', 'EACCES'].includes((err as NodeJS.ErrnoException).code ?? '')) return;
    throw err;
  }
  try {
    await fh.sync();
  } catch (err) {
    // Some file systems (network shares, FUSE) do not implement fsync on folders.
    if (!['EINVAL', 'ENOTSUP', 'EBADF', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await fh.close();
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
