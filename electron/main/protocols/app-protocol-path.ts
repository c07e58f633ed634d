// Maps an app://holdout/… URL to a file inside the built renderer, or refuses it.
// Pure (string work and path arithmetic only) so every trick can be tested: `..`,
// percent-encoded separators, absolute and drive-letter paths, NUL bytes, dotfiles.
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from '../security/schemes.js';

export type AppPathResult =
  | { ok: true; file: string }
  | { ok: false; status: 400 | 403 | 404; reason: string };

const INDEX = 'index.html';

export function resolveAppPath(rendererDir: string, requestUrl: string): AppPathResult {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'malformed URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') {
    return { ok: false, status: 403, reason: 'not the app origin' };
  }
  const raw = url.pathname;
  // Refuse before decoding: an encoded separator or NUL would survive URL parsing and
  // only become a path character after decodeURIComponent.
  if (/%2f|%5c|%00/i.test(raw) || raw.includes('\\') || raw.includes('\0')) {
    return { ok: false, status: 403, reason: 'encoded separator or NUL' };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) {
    return { ok: false, status: 403, reason: 'NUL or backslash' };
  }
  // The pathname starts with exactly one '/'; a second one means an absolute path
  // (`app://holdout//etc/passwd`).
  const rel = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  if (rel.startsWith('/')) return { ok: false, status: 403, reason: 'absolute path' };
  if (rel === '') return { ok: true, file: path.join(rendererDir, INDEX) };
  if (rel.endsWith('/')) return { ok: false, status: 404, reason: 'directory' };
  const segments = rel.split('/');
  for (const segment of segments) {
    // '.', '..', dotfiles, empty segments ('a//b') and anything with ':' (a Windows
    // drive `C:` or an alternate data stream `file:stream`) have no business here.
    if (segment === '' || segment.startsWith('.') || segment.includes(':')) {
      return { ok: false, status: 403, reason: 'forbidden path segment' };
    }
  }
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, ...segments);
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    return { ok: false, status: 403, reason: 'outside the renderer' };
  }
  return { ok: true, file };
}
