// The handler behind protocol.handle('holdout-media'): holdout-media://media/thumb/<sha>
// and holdout-media://media/image/<id>. The decision of what may be served is
// resolveMedia's (shared with the web bridge); this file only strips the host, maps
// refusals to HTTP statuses and streams the file. No 'electron' import: tested directly.
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ApiError, type ApiErrorCode } from '../../api/errors.js';
import { MEDIA_SCHEME } from '../../api/window-api.js';
import { resolveMedia } from '../../engine/media/resolve-media.js';
import type { Project } from '../../engine/project/project.js';
import { APP_ORIGIN, MEDIA_HOST } from '../security/schemes.js';

const STATUS: Partial<Record<ApiErrorCode, number>> = {
  forbidden: 403,
  not_found: 404,
  no_project: 404,
  invalid_request: 400,
};

export function statusForMediaError(err: unknown): number {
  return err instanceof ApiError ? (STATUS[err.code] ?? 500) : 500;
}

/** The path resolveMedia expects (`thumb/<sha>`), or null when the URL is not ours. */
export function mediaRequestPath(requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${MEDIA_SCHEME}:` || url.host !== MEDIA_HOST || url.username !== '' || url.password !== '') {
    return null;
  }
  // Deliberately not decoded: resolveMedia accepts only hex digits, decimal digits and
  // one '/', so any percent-encoding is simply refused there.
  return url.pathname.slice(1);
}

function refuse(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

export async function handleMediaRequest(request: Request, project: () => Project | null): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
  const requestPath = mediaRequestPath(request.url);
  if (requestPath === null) return refuse(403, 'not a media URL');
  let media;
  try {
    media = resolveMedia(project(), requestPath);
  } catch (err) {
    return refuse(statusForMediaError(err), err instanceof Error ? err.message : 'refused');
  }
  // Open first, then stream: a file that vanished between resolve and read is a clean
  // 404, not a broken stream.
  let handle: fs.FileHandle;
  let size: number;
  try {
    handle = await fs.open(media.file, 'r');
  } catch {
    return refuse(404, 'file not found');
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    await handle.close();
    return refuse(404, 'file not found');
  }
  const headers = {
    'Content-Type': media.contentType,
    'Content-Length': String(size),
    'X-Content-Type-Options': 'nosniff',
    // Thumbnails are named by content hash, so they never change; originals may.
    'Cache-Control': requestPath.startsWith('thumb/') ? 'max-age=31536000, immutable' : 'no-cache',
    // Lets the renderer draw media into a canvas (the scheme is corsEnabled).
    'Access-Control-Allow-Origin': APP_ORIGIN,
  };
  if (request.method === 'HEAD') {
    await handle.close();
    return new Response(null, { status: 200, headers });
  }
  // autoClose: the handle is closed when the stream ends or the request is aborted.
  const body = Readable.toWeb(handle.createReadStream({ autoClose: true })) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}
