// The handler behind protocol.handle('app'): serves the built renderer (dist/renderer)
// with the CSP header. Plain Node (fs + the WHATWG Request/Response that Electron's
// protocol API uses), so tests call it directly with a real Request.
import fs from 'node:fs/promises';
import path from 'node:path';
import { CSP } from '../security/csp.js';
import { resolveAppPath } from './app-protocol-path.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    // The renderer is rebuilt between runs during development; never serve a stale one.
    'Cache-Control': 'no-cache',
  };
}

function refuse(status: number, reason: string): Response {
  return new Response(reason, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

export async function handleAppRequest(request: Request, rendererDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
  const resolved = resolveAppPath(rendererDir, request.url);
  if (!resolved.ok) return refuse(resolved.status, resolved.reason);
  let body: Buffer;
  try {
    // A symlink inside dist/renderer must not lead outside it either.
    const [realRoot, realFile] = await Promise.all([fs.realpath(rendererDir), fs.realpath(resolved.file)]);
    const inside = path.relative(realRoot, realFile);
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return refuse(403, 'outside the renderer');
    const stat = await fs.stat(realFile);
    if (!stat.isFile()) return refuse(404, 'not found');
    body = await fs.readFile(realFile);
  } catch {
    return refuse(404, 'not found');
  }
  const headers = { ...securityHeaders(), 'Content-Type': contentTypeFor(resolved.file), 'Content-Length': String(body.length) };
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}
