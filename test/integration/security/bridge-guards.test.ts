// The web bridge as an attacker on the same machine sees it: where it listens (loopback
// only), what it demands (its token on every API, media and event-stream request), and
// what it refuses (a Host that is not loopback — DNS rebinding —, a cross-site Origin,
// CORS preflights, non-JSON bodies). Then every contract method gets hostile JSON bodies
// over real HTTP: a validation error each time, never a 500.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../../electron/api/contract.js';
import { createService, type HoldoutService } from '../../../electron/engine/service/create-service.js';
import { startBridge, type Bridge } from '../../../electron/server/bridge-server.js';
import { EventHub } from '../../../electron/server/event-hub.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { prototypeFingerprint } from './hostile-values.js';

const tempDir = tempDirFactory('holdout-bridge-sec-');
let service: HoldoutService;
let bridge: Bridge;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One raw request; for the event stream, answers as soon as the head arrives. */
function request(options: { method?: string; path: string; headers?: Record<string, string>; body?: string; host?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: options.host ?? '127.0.0.1', port: bridge.port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        if ((res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
          req.destroy();
          return;
        }
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
    req.end(options.body);
  });
}

const auth = () => ({ Authorization: `Bearer ${bridge.token}` });
const json = { 'Content-Type': 'application/json' };

/** The three kinds of guarded route, each as a request that succeeds with the token. */
const routes = () => [
  { name: 'a call', method: 'POST', path: '/api/call/app.info', headers: json, body: '{}' },
  { name: 'the event stream', method: 'GET', path: '/api/events', headers: {}, body: undefined },
  { name: 'an unknown API path', method: 'GET', path: '/api/anything', headers: {}, body: undefined },
  { name: 'media', method: 'GET', path: `/media/thumb/${'a'.repeat(64)}`, headers: {}, body: undefined },
];

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

beforeAll(async () => {
  const hub = new EventHub();
  service = createService({ settingsDir: tempDir('settings'), shell: 'web', emit: hub.emit });
  await service.handlers['project.create']({ dir: path.join(tempDir('project'), 'p') });
  bridge = await startBridge({ service, hub });
});

afterAll(async () => {
  await bridge?.close();
  await service?.dispose();
});

describe('where the bridge listens', () => {
  it('is bound to 127.0.0.1 and nothing else', async () => {
    // The kernel's own table of listening TCP sockets (state 0A): ours is 127.0.0.1 only.
    const portHex = bridge.port.toString(16).toUpperCase().padStart(4, '0');
    const listening = (file: string) =>
      fs.existsSync(file)
        ? fs.readFileSync(file, 'utf8').split('\n').slice(1).map((l) => l.trim().split(/\s+/))
            .filter((f) => f[1]?.endsWith(`:${portHex}`) && f[3] === '0A').map((f) => f[1])
        : [];
    if (process.platform === 'linux') {
      expect(listening('/proc/net/tcp')).toEqual([`0100007F:${portHex}`]);
      expect(listening('/proc/net/tcp6')).toEqual([]);
    }
    expect(await connects('127.0.0.1', bridge.port)).toBe(true);
    // Another loopback address, IPv6 loopback, and every address of the machine's own interfaces.
    if (process.platform === 'linux') expect(await connects('127.0.0.2', bridge.port)).toBe(false);
    const others = Object.values(os.networkInterfaces()).flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal && a.family === 'IPv4').map((a) => a.address);
    for (const address of [...others, '::1']) expect(await connects(address, bridge.port), address).toBe(false);
  });
});

describe('the token', () => {
  it.each(routes().map((r) => [r.name, r]))('is required for %s', async (_name, route) => {
    const tries: Array<Record<string, string> | string> = [
      {},
      { Authorization: 'Bearer ' },
      { Authorization: 'Bearer wrong' },
      { Authorization: `Bearer ${bridge.token}x` },
      { Authorization: `Bearer ${bridge.token.slice(0, -1)}` },
      { Authorization: `Basic ${Buffer.from(`holdout:${bridge.token}`).toString('base64')}` },
      { Authorization: bridge.token },
      `?token=`,
      `?token=${bridge.token.toUpperCase()}`,
      `?t=${bridge.token}`,
    ];
    for (const t of tries) {
      const headers = typeof t === 'string' ? route.headers : { ...route.headers, ...t };
      const suffix = typeof t === 'string' ? t : '';
      const r = await request({ method: route.method, path: route.path + suffix, headers, body: route.body });
      expect(r.status, JSON.stringify(t)).toBe(401);
      expect(r.body).not.toContain(bridge.token);
    }
    // With the token, in a header or in the query, the same request gets through the guard.
    const withHeader = await request({ method: route.method, path: route.path, headers: { ...route.headers, ...auth() }, body: route.body });
    const withQuery = await request({ method: route.method, path: `${route.path}?token=${bridge.token}`, headers: route.headers, body: route.body });
    for (const r of [withHeader, withQuery]) expect(r.status).not.toBe(401);
  });
});

describe('Host and Origin (DNS rebinding, cross-site requests)', () => {
  const badHosts = (port: number) => [
    `evil.example:${port}`,
    `127.0.0.1.evil.example:${port}`,
    `localhost.evil.example:${port}`,
    `127.0.0.1:${port}.evil.example`,
    `127.0.0.1:${port + 1}`,
    '127.0.0.1',
    'localhost',
    `0.0.0.0:${port}`,
    `192.0.2.1:${port}`,
  ];

  it.each(routes().map((r) => [r.name, r]))('refuses a Host that is not loopback with our port, for %s', async (_name, route) => {
    for (const host of badHosts(bridge.port)) {
      const r = await request({ method: route.method, path: route.path, headers: { ...route.headers, ...auth(), Host: host }, body: route.body });
      expect(r.status, `Host: ${host}`).toBe(403);
    }
    for (const host of [`127.0.0.1:${bridge.port}`, `localhost:${bridge.port}`, `LOCALHOST:${bridge.port}`]) {
      const r = await request({ method: route.method, path: route.path, headers: { ...route.headers, ...auth(), Host: host }, body: route.body });
      expect(r.status, host).not.toBe(403);
    }
  });

  it('refuses a request with no Host header or an empty one (on a raw socket: the Node client would add one)', async () => {
    for (const hostLine of ['', 'Host: \r\n']) {
      const head = await new Promise<string>((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port: bridge.port }, () => {
          socket.write(`GET /api/events?token=${bridge.token} HTTP/1.0\r\n${hostLine}\r\n`);
        });
        let text = '';
        // The status line is enough (a wrongly accepted event stream would never end).
        socket.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('\r\n')) {
            socket.destroy();
            resolve(text);
          }
        });
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(head.split('\r\n')[0], JSON.stringify(hostLine)).toMatch(/^HTTP\/1\.[01] (400|403) /);
    }
  });

  it('refuses the static UI too under a foreign Host', async () => {
    expect((await request({ path: '/', headers: { Host: `evil.example:${bridge.port}` } })).status).toBe(403);
  });

  it.each(routes().map((r) => [r.name, r]))('refuses a cross-site Origin for %s, even with the token', async (_name, route) => {
    const origins = [
      'https://evil.example',
      `http://evil.example:${bridge.port}`,
      'null',
      `http://127.0.0.1:${bridge.port + 1}`,
      `https://127.0.0.1:${bridge.port}`,
      `http://127.0.0.1:${bridge.port}.evil.example`,
      'file://',
    ];
    for (const origin of origins) {
      const r = await request({ method: route.method, path: route.path, headers: { ...route.headers, ...auth(), Origin: origin }, body: route.body });
      expect(r.status, origin).toBe(403);
    }
  });

  it('never grants a CORS preflight, and refuses bodies a cross-site form could send', async () => {
    const preflight = await request({
      method: 'OPTIONS',
      path: '/api/call/project.close',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const r = await request({ method: 'POST', path: '/api/call/project.close', headers: { ...auth(), 'Content-Type': type }, body: '{}' });
      expect(r.status, type).toBe(415);
    }
    // A state-changing call by GET is refused, so an <img> or a link cannot make one.
    expect((await request({ path: `/api/call/project.close?token=${bridge.token}` })).status).toBe(405);
    expect(service.project()).not.toBeNull();
  });
});

describe('hostile bodies over HTTP', () => {
  it('answers hostile JSON for every method with a validation error, never a 500', async () => {
    const prototypes = prototypeFingerprint();
    const dir = service.project()!.dir;
    // (A JSON null is not here: like a missing request it means an empty one.)
    const bodies = [
      '[]',
      '"string"',
      '123',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
      `{"dir":"${'../'.repeat(2000)}etc","id":-1,"ids":[1e999],"offset":-5,"limit":1e308}`,
      '{"dir":"a\\u0000b","id":"1","name":{"__proto__":{}}}',
    ];
    let sent = 0;
    for (const method of methodNames) {
      for (const body of bodies) {
        const r = await request({ method: 'POST', path: `/api/call/${encodeURIComponent(method)}`, headers: { ...json, ...auth() }, body });
        sent++;
        expect(r.status, `${method} ${body.slice(0, 40)}`).toBeLessThan(500);
        const parsed = JSON.parse(r.body) as { ok: boolean; error?: { code: string } };
        expect(parsed.ok, `${method} ${body.slice(0, 40)}`).toBe(false);
        expect(parsed.error?.code, `${method} ${body.slice(0, 40)}: ${r.body.slice(0, 200)}`).toBe('invalid_request');
      }
    }
    expect(sent).toBe(methodNames.length * bodies.length);
    expect(prototypeFingerprint()).toBe(prototypes);
    expect(service.project()?.dir).toBe(dir);
  });
});
