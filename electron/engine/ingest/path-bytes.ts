// File names are bytes, not text: on Linux a name need not be valid UTF-8, and such a
// file must still import. The walk and the workers therefore carry paths as Buffers
// (what the kernel gave us) and turn them into text only for display.
import path from 'node:path';

const SEP = Buffer.from(path.sep);

/** `dir` + separator + `name`, byte for byte. */
export function joinPathBytes(dir: Buffer, name: Buffer): Buffer {
  return dir.length > 0 && dir[dir.length - 1] === SEP[0] ? Buffer.concat([dir, name]) : Buffer.concat([dir, SEP, name]);
}

/** The readable form of a path; bytes that are not UTF-8 become U+FFFD (lossy, for display only). */
export function displayPath(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** A Buffer view of bytes that crossed a worker boundary (structured clone yields a plain Uint8Array). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
