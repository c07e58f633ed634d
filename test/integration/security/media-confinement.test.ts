// The two ways media reach a page — the desktop app's holdout-media:// protocol handler
// and the web bridge's /media/ route — refuse every way out of the project: `..`,
// absolute paths, percent-encoded dots and separators (%2e %2f %5c), NUL bytes, and
// thumbnails that are symlinks (or sit in a symlinked folder) leading outside it.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type HoldoutService } from '../../../electron/engine/service/create-service.js';
import { handleMediaRequest } from '../../../electron/main/protocols/media-protocol.js';
import { MEDIA_BASE } from '../../../electron/main/security/schemes.js';
import { startBridge, type Bridge } from '../../../electron/server/bridge-server.js';
import { EventHub } from '../../../electron/server/event-hub.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-media-sec-');
const SECRET = 'the secret outside the project';
const GOOD = 'a1'.padEnd(64, '0');
const LINKED_FILE = 'b2'.padEnd(64, '0');
const IN_LINKED_DIR = 'c3'.padEnd(64, '0');
let service: HoldoutService;
let bridge: Bridge;

/** Paths after the media prefix that climb, encode or smuggle their way out. */
const ESCAPES = [
  '../holdout.db',
  '../../../../etc/passwd',
  'thumb/../../holdout.db',
  '/etc/passwd',
  '//etc/passwd',
  'thumb//etc/passwd',
  '%2e%2e/holdout.db',
  '%2e%2e%2fholdout.db',
  'thumb/%2e%2e%2f%2e%2e%2fholdout.db',
  'thumb%2f..%2f..%2fholdout.db',
  'thumb%2fa1',
  '..%5c..%5choldout.db',
  'thumb%5c..%5choldout.db',
  `thumb/${GOOD}%00.webp`,
  `thumb/${GOOD}%00`,
  'image/1%00',
  'image/1%2f..%2f..%2fholdout.db',
  'image/..%2f1',
  'holdout.db',
  'thumbs/a1/x.webp',
  `thumb/${GOOD.toUpperCase()}`,
  'image/-1',
  'image/0',
  'image/1e3',
  'image/99999999999999999999',
];

function bridgeGet(tail: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // http.request sends the path as given: no normalisation of `..` or encodings.
    const req = http.request(
      { host: '127.0.0.1', port: bridge.port, path: `/media/${tail}${tail.includes('?') ? '&' : '?'}token=${bridge.token}` },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function desktopGet(tail: string): Promise<{ status: number; body: string }> {
  const res = await handleMediaRequest(new Request(MEDIA_BASE + tail), () => service.project());
  return { status: res.status, body: await res.text() };
}

beforeAll(async () => {
  const outside = tempDir('outside');
  fs.writeFileSync(path.join(outside, 'secret.webp'), SECRET);
  fs.mkdirSync(path.join(outside, 'c3'));
  fs.writeFileSync(path.join(outside, 'c3', `${IN_LINKED_DIR}.webp`), SECRET);
  const hub = new EventHub();
  service = createService({ settingsDir: tempDir('settings'), shell: 'web', emit: hub.emit });
  const created = await service.handlers['project.create']({ dir: path.join(tempDir('project'), 'p') });
  expect(created.imageCount).toBe(0);
  const project = service.project()!;
  const good = project.thumbPath(GOOD);
  fs.mkdirSync(path.dirname(good), { recursive: true });
  fs.writeFileSync(good, 'RIFF-thumbnail');
  // Someone (or a shared project folder) planted links inside thumbs/.
  const linked = project.thumbPath(LINKED_FILE);
  fs.mkdirSync(path.dirname(linked), { recursive: true });
  fs.symlinkSync(path.join(outside, 'secret.webp'), linked);
  fs.symlinkSync(path.join(outside, 'c3'), path.dirname(project.thumbPath(IN_LINKED_DIR)));
  bridge = await startBridge({ service, hub });
});

afterAll(async () => {
  await bridge?.close();
  await service?.dispose();
});

describe.each([
  ['desktop protocol handler', desktopGet],
  ['web bridge media route', bridgeGet],
])('%s', (_name, get) => {
  it('serves a real thumbnail (the refusals below are not a broken route)', async () => {
    const r = await get(`thumb/${GOOD}`);
    expect(r).toEqual({ status: 200, body: 'RIFF-thumbnail' });
  });

  it.each(ESCAPES)('refuses %s', async (tail) => {
    const r = await get(tail);
    expect([400, 403, 404]).toContain(r.status);
    expect(r.body).not.toContain(SECRET);
    expect(r.body).not.toContain('SQLite format');
  });

  it('refuses a thumbnail that is a symlink leading out of the project', async () => {
    const r = await get(`thumb/${LINKED_FILE}`);
    expect(r.status).toBe(403);
    expect(r.body).not.toContain(SECRET);
  });

  it('refuses a thumbnail inside a symlinked folder leading out of the project', async () => {
    const r = await get(`thumb/${IN_LINKED_DIR}`);
    expect(r.status).toBe(403);
    expect(r.body).not.toContain(SECRET);
  });
});
