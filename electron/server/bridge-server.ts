// The web bridge: the API contract as JSON over HTTP on 127.0.0.1, events as
// Server-Sent Events, media through the same resolver as Electron's protocol, and the
// built renderer as static files. Used by `holdout serve` and by the browser tests.
import fs from 'node:fs';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dispatch } from '../api/dispatch.js';
import { ApiError, toApiError, type ApiErrorShape } from '../api/errors.js';
import { resolveMedia } from '../engine/media/resolve-media.js';
import type { HoldoutService } from '../engine/service/create-service.js';
import type { EventHub } from './event-hub.js';
import { allowedHost, allowedOrigin, presentedToken, tokenMatches } from './request-guard.js';
import { resolveStatic } from './static-files.js';

export const BRIDGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const MAX_BODY = 1024 * 1024;

export interface BridgeOptions {
  service: HoldoutService;
  hub: EventHub;
  /** The built renderer; when absent, only the API is served. */
  staticDir?: string;
  port?: number;
  /** Fixed token for tests; a random one per launch otherwise. */
  token?: string;
}

export interface Bridge {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(data);
}

function sendError(res: http.ServerResponse, status: number, error: ApiErrorShape): void {
  sendJson(res, status, { ok: false, error });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit, keep reading but drop the bytes, so the client still gets an answer.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) reject(new ApiError('invalid_request', 'request body larger than 1 MiB'));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = 0;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!allowedHost(req.headers.host, port)) {
      return sendError(res, 403, { code: 'forbidden', message: 'unexpected Host header' });
    }
    if (!allowedOrigin(req.headers.origin, port)) {
      return sendError(res, 403, { code: 'forbidden', message: 'cross-origin requests are refused' });
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const needsToken = url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/');
    if (needsToken && !tokenMatches(presentedToken(req.headers.authorization, url), token)) {
      return sendError(res, 401, { code: 'forbidden', message: 'missing or wrong token: open the URL that `holdout serve` printed' });
    }

    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') return sendError(res, 405, { code: 'invalid_request', message: 'use POST' });
      // A JSON content type cannot be sent cross-site without a CORS preflight, which we never grant.
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendError(res, 415, { code: 'invalid_request', message: 'Content-Type must be application/json' });
      }
      const method = decodeURIComponent(url.pathname.slice('/api/call/'.length));
      let request: unknown;
      try {
        const body = await readBody(req);
        request = body.trim() === '' ? {} : JSON.parse(body);
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError('invalid_request', 'the request body is not valid JSON');
        return sendError(res, 400, e.toJSON());
      }
      return sendJson(res, 200, await dispatch(options.service.handlers, method, request));
    }

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return sendError(res, 405, { code: 'invalid_request', message: 'use GET' });
      options.hub.attach(res);
      return;
    }

    if (url.pathname.startsWith('/media/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return sendError(res, 405, { code: 'invalid_request', message: 'use GET' });
      }
      let media;
      try {
        media = resolveMedia(options.service.project(), url.pathname.slice('/media/'.length));
      } catch (err) {
        const e = toApiError(err);
        return sendError(res, e.code === 'not_found' ? 404 : e.code === 'no_project' ? 409 : 403, e.toJSON());
      }
      const stream = fs.createReadStream(media.file);
      stream.on('open', () => {
        res.writeHead(200, {
          ...COMMON_HEADERS,
          'Content-Type': media.contentType,
          // Thumbnails are named by content hash, so they never change; originals might.
          'Cache-Control': url.pathname.startsWith('/media/thumb/') ? 'private, max-age=31536000, immutable' : 'no-cache',
        });
        if (req.method === 'HEAD') {
          stream.destroy();
          res.end();
        } else stream.pipe(res);
      });
      stream.on('error', (err) => {
        if (!res.headersSent) sendError(res, 404, { code: 'not_found', message: `cannot read the file: ${err.message}` });
        else res.destroy();
      });
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, 405, { code: 'invalid_request', message: 'use GET' });
    }
    const found = options.staticDir ? resolveStatic(options.staticDir, url.pathname) : null;
    if (!found) return sendError(res, 404, { code: 'not_found', message: 'not found' });
    const headers: http.OutgoingHttpHeaders = { ...COMMON_HEADERS, 'Content-Type': found.type, 'Cache-Control': 'no-cache' };
    if (found.type.startsWith('text/html')) headers['Content-Security-Policy'] = BRIDGE_CSP;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(found.file).pipe(res);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, toApiError(err).toJSON());
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        options.hub.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
