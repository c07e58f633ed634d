// The web bridge over real HTTP: token, Host and Origin checks, validation, events,
// media confinement, static files.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type HoldoutService } from '../../../electron/engine/service/create-service.js';
import { BRIDGE_CSP, startBridge, type Bridge } from '../../../electron/server/bridge-server.js';
import { EventHub } from '../../../electron/server/event-hub.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-bridge-');
let bridge: Bridge;
let service: HoldoutService;

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function raw(options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: bridge.port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function call(method: string, body: unknown, headers: Record<string, string> = {}) {
  return raw({
    method: 'POST',
    path: `/api/call/${method}`,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bridge.token}`, ...headers },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  const staticDir = tempDir('static');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Holdout</title>');
  fs.writeFileSync(path.join(tempDir('outside'), 'secret.txt'), 'secret');
  const hub = new EventHub();
  service = createService({ settingsDir: tempDir('settings'), shell: 'web', emit: hub.emit });
  bridge = await startBridge({ service, hub, staticDir });
});

afterAll(async () => {
  await bridge.close();
  await service.dispose();
});

describe('web bridge', () => {
  it('prints a loopback URL with its token', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/?token=${bridge.token}`);
    expect(bridge.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers a call with a valid token', async () => {
    const r = await call('app.info', {});
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { shell: 'web' } });
  });

  it('refuses calls without the token or with a wrong one', async () => {
    const none = await raw({ method: 'POST', path: '/api/call/app.info', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    const wrong = await call('app.info', {}, { Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const events = await raw({ path: '/api/events?token=wrong' });
    expect(events.status).toBe(401);
    const media = await raw({ path: `/media/thumb/${'a'.repeat(64)}` });
    expect(media.status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) and a cross-site Origin', async () => {
    const host = await call('app.info', {}, { Host: `evil.example:${bridge.port}` });
    expect(host.status).toBe(403);
    const origin = await call('app.info', {}, { Origin: 'https://evil.example' });
    expect(origin.status).toBe(403);
    const sameOrigin = await call('app.info', {}, { Origin: `http://127.0.0.1:${bridge.port}` });
    expect(sameOrigin.status).toBe(200);
  });

  it('refuses non-JSON bodies (no simple cross-site form posts) and oversized ones', async () => {
    const form = await raw({
      method: 'POST',
      path: '/api/call/app.info',
      headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${bridge.token}` },
      body: '{}',
    });
    expect(form.status).toBe(415);
    const bad = await raw({
      method: 'POST',
      path: '/api/call/app.info',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bridge.token}` },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    const huge = await call('project.open', { dir: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(400);
  });

  it('returns validation errors that name the field', async () => {
    const r = JSON.parse((await call('images.page', { offset: 'zero', limit: 5 })).body);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'offset' } });
    const unknown = JSON.parse((await call('no.such', {})).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('streams events to an SSE client', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: bridge.port, path: `/api/events?token=${bridge.token}` }, (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('event: project.changed')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    });
    await new Promise((r) => setTimeout(r, 100));
    const created = JSON.parse((await call('project.create', { dir: path.join(tempDir(), 'p') })).body);
    expect(created.ok).toBe(true);
    expect(await received).toMatch(/data: \{"reason":"opened"\}/);
  });

  it('serves media only for thumb/<sha256> and image/<id> of the open project', async () => {
    const q = `?token=${bridge.token}`;
    for (const p of ['/media/../package.json', '/media/thumb/..%2f..%2fholdout.db', '/media/%2e%2e/secret.txt', '/media/etc/passwd', '/media/image/0', '/media/image/1e3']) {
      const r = await raw({ path: p + q });
      expect([403, 404], p).toContain(r.status);
    }
    const missing = await raw({ path: `/media/image/12345${q}` });
    expect(missing.status).toBe(404);
  });

  it('serves the built UI with a strict CSP and nothing outside it', async () => {
    const index = await raw({ path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toBe(BRIDGE_CSP);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2fsecret.txt', '/%00']) {
      expect((await raw({ path: p })).status, p).toBe(404);
    }
  });
});
