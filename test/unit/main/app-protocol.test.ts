import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, handleAppRequest } from '../../../electron/main/protocols/app-protocol.js';
import { CSP } from '../../../electron/main/security/csp.js';

let tmp: string;
let rendererDir: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-app-protocol-'));
  rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Holdout</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'TOP-SECRET');
  // A symlink inside the renderer that points outside it.
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(rendererDir, 'assets', 'link.js'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handleAppRequest(new Request(url, { method }), rendererDir);

describe('handleAppRequest', () => {
  it('serves index.html for the root with the CSP and nosniff', async () => {
    const res = await get('app://holdout/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Holdout</title>');
  });

  it('serves assets with their content type', async () => {
    const res = await get('app://holdout/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('console.log(1)');
  });

  it('answers HEAD without a body', async () => {
    const res = await get('app://holdout/index.html', 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('refuses traversal, encoded separators and other origins', async () => {
    expect((await get('app://holdout/..%2fsecret.txt')).status).toBe(403);
    expect((await get('app://holdout/%5c..%5csecret.txt')).status).toBe(403);
    expect((await get('app://evil/index.html')).status).toBe(403);
    // Resolved inside the renderer, where there is no such file.
    expect((await get('app://holdout/../secret.txt')).status).toBe(404);
  });

  it('refuses a symlink that leads outside the renderer', async () => {
    const res = await get('app://holdout/assets/link.js');
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('TOP-SECRET');
  });

  it('answers 404 for missing files and directories, 405 for other methods', async () => {
    expect((await get('app://holdout/missing.js')).status).toBe(404);
    expect((await get('app://holdout/assets')).status).toBe(404);
    expect((await get('app://holdout/index.html', 'POST')).status).toBe(405);
  });

  it('puts the CSP on refusals too', async () => {
    expect((await get('app://holdout/missing.js')).headers.get('content-security-policy')).toBe(CSP);
  });

  it('maps extensions to content types', () => {
    expect(contentTypeFor('a.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.wasm')).toBe('application/wasm');
    expect(contentTypeFor('a.unknown')).toBe('application/octet-stream');
  });
});
