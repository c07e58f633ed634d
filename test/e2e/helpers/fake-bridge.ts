// A stand-in for `holdout serve` that pretends to hold a project of any size, for
// testing the renderer at 100,000 images without importing 100,000 files. It serves
// the built renderer (dist/renderer) and answers the few calls the Library makes,
// with the same protocol as the real bridge (token, {ok,value} JSON, SSE, /media/).
// Tests add or replace methods (see fake-import.ts) to stage situations on demand.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { repoRoot } from './serve.js';

export interface FakeBridge {
  url: string;
  /** images.page requests so far, with their offsets. */
  pageRequests: number[];
  /** Sends an event to every open event stream. */
  emit(event: string, payload: unknown): void;
  close(): Promise<void>;
}

export type Emit = (event: string, payload: unknown) => void;
/** Extra methods (or replacements), given the function that sends events. */
export type FakeHandlers = (emit: Emit) => Record<string, (request: Record<string, unknown>) => unknown>;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

const CLASS_COUNT = 10;
const TOKEN = 'fake-token';

/** Image `i` (0-based, import order) belongs to class i % 10 + 1; every 50th is excluded. */
function tile(i: number) {
  return {
    id: i + 1,
    sha256: (i + 1).toString(16).padStart(64, '0'),
    classId: (i % CLASS_COUNT) + 1,
    width: 640,
    height: 480,
    status: i % 50 === 49 ? ('excluded' as const) : ('ok' as const),
  };
}

export async function startFakeBridge(total: number, extra?: FakeHandlers): Promise<FakeBridge> {
  const staticDir = path.join(repoRoot, 'dist', 'renderer');
  const pageRequests: number[] = [];
  const streams = new Set<http.ServerResponse>();
  const emit: Emit = (event, payload) => {
    for (const res of streams) res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  };
  const extraHandlers = extra?.(emit) ?? {};
  const classes = Array.from({ length: CLASS_COUNT }, (_, c) => ({
    id: c + 1,
    name: `class ${String.fromCharCode(65 + c)}`,
    count: Math.floor(total / CLASS_COUNT) + (c < total % CLASS_COUNT ? 1 : 0),
  }));

  function page(filter: { classId?: number | null; status?: string }, offset: number, limit: number) {
    pageRequests.push(offset);
    if (filter.status || filter.classId === null) return { total: 0, offset, items: [] };
    if (filter.classId !== undefined) {
      const c = filter.classId - 1;
      const n = classes[c]?.count ?? 0;
      const items = [];
      for (let k = offset; k < Math.min(n, offset + limit); k++) items.push(tile(c + k * CLASS_COUNT));
      return { total: n, offset, items };
    }
    const items = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) items.push(tile(i));
    return { total, offset, items };
  }

  function call(method: string, req: Record<string, unknown>): unknown {
    const handler = extraHandlers[method];
    if (handler) return handler(req);
    switch (method) {
      case 'app.info':
        return { version: '0.0.0-fake', shell: 'web', platform: 'linux', homeDir: '/tmp' };
      case 'project.current':
        return { dir: '/fake/big', name: 'Big project', schemaVersion: 1, imageCount: total, classCount: CLASS_COUNT, createdAt: '2025-01-01T00:00:00Z' };
      case 'project.recent':
        return [];
      case 'classes.list':
        return { classes, unlabeled: 0, total };
      case 'images.page':
        return page((req.filter ?? {}) as { classId?: number | null }, Number(req.offset), Number(req.limit));
      case 'images.get': {
        const t = tile(Number(req.id) - 1);
        const name = classes[t.classId - 1]!.name;
        return {
          ...t,
          path: `/fake/big/photos/${name}/${t.id}.jpg`,
          relPath: `${name}/${t.id}.jpg`,
          className: name,
          group: null,
          bytes: 123_456,
          format: 'jpeg',
          phash: 'f0f0f0f0f0f0f0f0',
          capturedAt: null,
          addedAt: '2025-01-01T00:00:00Z',
          excludeReason: null,
          duplicateIds: [],
        };
      }
      case 'import.active':
        return null;
      default:
        throw Object.assign(new Error(`the fake bridge does not do ${method}`), { code: 'unknown_method' });
    }
  }

  // Real WebP thumbnails (as the engine makes them, 256 × 192), a few dozen reused by hash.
  const thumbs = await Promise.all(
    Array.from({ length: 48 }, (_, n) => {
      const hue = (n * 37) % 360;
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="192"><rect width="256" height="192" fill="hsl(${hue},45%,80%)"/><circle cx="128" cy="96" r="${36 + (n % 20) * 2}" fill="hsl(${hue},60%,45%)"/></svg>`;
      return sharp(Buffer.from(svg)).webp({ quality: 80 }).toBuffer();
    }),
  );
  function thumb(sha: string): Buffer {
    const n = Number.parseInt(sha.slice(-8), 16) || 0;
    return thumbs[n % thumbs.length]!;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authed = req.headers.authorization === `Bearer ${TOKEN}` || url.searchParams.get('token') === TOKEN;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if ((url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/')) && !authed) {
      return json(401, { ok: false, error: { code: 'forbidden', message: 'wrong token' } });
    }
    if (url.pathname.startsWith('/api/call/')) {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        Promise.resolve()
          .then(() => call(url.pathname.slice('/api/call/'.length), body ? JSON.parse(body) : {}))
          .then(
            (value) => json(200, { ok: true, value }),
            (err: Error & { code?: string; field?: string }) =>
              json(200, {
                ok: false,
                error: { code: err.code ?? 'internal', message: err.message, ...(err.field ? { field: err.field } : {}) },
              }),
          );
      });
      return;
    }
    if (url.pathname === '/api/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      res.write(': connected\n\n');
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    const media = /^\/media\/(thumb|image)\/(.+)$/.exec(url.pathname);
    if (media) {
      const sha = media[1] === 'thumb' ? media[2]! : Number(media[2]).toString(16);
      res.writeHead(200, { 'Content-Type': 'image/webp', 'Cache-Control': 'private, max-age=31536000, immutable' });
      res.end(thumb(sha));
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const file = path.join(staticDir, rel);
    if (!file.startsWith(staticDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${TOKEN}`,
    pageRequests,
    emit,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
