import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { createProject, type Project } from '../../../electron/engine/project/project.js';
import {
  handleMediaRequest,
  mediaRequestPath,
  statusForMediaError,
} from '../../../electron/main/protocols/media-protocol.js';
import { MEDIA_BASE } from '../../../electron/main/security/schemes.js';

const SHA = 'ab'.padEnd(64, '0');
let tmp: string;
let project: Project;
let imageId: number;
const original = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-media-protocol-'));
  project = createProject(path.join(tmp, 'project'));
  const thumb = project.thumbPath(SHA);
  fs.mkdirSync(path.dirname(thumb), { recursive: true });
  fs.writeFileSync(thumb, Buffer.from('RIFF....WEBP'));
  const photo = path.join(tmp, 'photo.jpg');
  fs.writeFileSync(photo, original);
  imageId = project.images.insert(
    {
      path: photo,
      pathBytes: Buffer.from(photo),
      relPath: 'photo.jpg',
      sha256: 'cd'.padEnd(64, '0'),
      phash: '0'.repeat(16),
      width: 1,
      height: 1,
      bytes: original.length,
      format: 'jpeg',
      capturedAt: null,
      mtimeMs: 0,
      classId: null,
      group: null,
    },
    null,
  );
});
afterAll(() => {
  project.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const get = (url: string, open: Project | null = project, method = 'GET') =>
  handleMediaRequest(new Request(url, { method }), () => open);

describe('mediaRequestPath', () => {
  it('strips scheme and host, keeps the path undecoded', () => {
    expect(MEDIA_BASE).toBe('holdout-media://media/');
    expect(mediaRequestPath(`${MEDIA_BASE}thumb/${SHA}`)).toBe(`thumb/${SHA}`);
    expect(mediaRequestPath(`${MEDIA_BASE}image/7?x=1`)).toBe('image/7');
    expect(mediaRequestPath(`${MEDIA_BASE}thumb/%2e%2e%2f`)).toBe('thumb/%2e%2e%2f');
  });

  it('refuses other hosts and schemes', () => {
    expect(mediaRequestPath('holdout-media://evil/thumb/x')).toBeNull();
    expect(mediaRequestPath('holdout-media://u@media/thumb/x')).toBeNull();
    expect(mediaRequestPath('app://holdout/thumb/x')).toBeNull();
    expect(mediaRequestPath('nonsense')).toBeNull();
  });
});

describe('handleMediaRequest', () => {
  it('streams a thumbnail as webp, cacheable forever, readable by the app origin', async () => {
    const res = await get(`${MEDIA_BASE}thumb/${SHA}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('content-length')).toBe('12');
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('access-control-allow-origin')).toBe('app://holdout');
    expect(await res.text()).toBe('RIFF....WEBP');
  });

  it('streams an original with its content type', async () => {
    const res = await get(`${MEDIA_BASE}image/${imageId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(original);
  });

  it('answers HEAD without a body', async () => {
    const res = await get(`${MEDIA_BASE}thumb/${SHA}`, project, 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('refuses anything that is not thumb/<sha> or image/<id> with 403', async () => {
    for (const tail of ['thumb/../../holdout.db', 'thumb/%2e%2e%2fholdout.db', 'holdout.db', 'image/0', 'image/1%2f..', `thumb/${SHA.toUpperCase()}`]) {
      expect((await get(MEDIA_BASE + tail)).status, tail).toBe(403);
    }
    expect((await get(`holdout-media://evil/thumb/${SHA}`)).status).toBe(403);
  });

  it('answers 404 for missing media and when no project is open', async () => {
    expect((await get(`${MEDIA_BASE}thumb/${'e'.repeat(64)}`)).status).toBe(404);
    expect((await get(`${MEDIA_BASE}image/999999`)).status).toBe(404);
    expect((await get(`${MEDIA_BASE}thumb/${SHA}`, null)).status).toBe(404);
  });

  it('answers 404 when the original vanished after import', async () => {
    const gone = path.join(tmp, 'gone.jpg');
    fs.writeFileSync(gone, original);
    const id = project.images.insert(
      {
        path: gone, pathBytes: Buffer.from(gone), relPath: 'gone.jpg', sha256: 'ef'.padEnd(64, '0'), phash: '0'.repeat(16),
        width: 1, height: 1, bytes: 8, format: 'jpeg', capturedAt: null, mtimeMs: 0, classId: null, group: null,
      },
      null,
    );
    fs.rmSync(gone);
    expect((await get(`${MEDIA_BASE}image/${id}`)).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get(`${MEDIA_BASE}thumb/${SHA}`, project, 'POST')).status).toBe(405);
  });

  it('maps API errors to HTTP statuses', () => {
    expect(statusForMediaError(new ApiError('forbidden', 'x'))).toBe(403);
    expect(statusForMediaError(new ApiError('not_found', 'x'))).toBe(404);
    expect(statusForMediaError(new ApiError('no_project', 'x'))).toBe(404);
    expect(statusForMediaError(new ApiError('internal', 'x'))).toBe(500);
    expect(statusForMediaError(new Error('x'))).toBe(500);
  });
});
