import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { methodNames } from '../../../electron/api/contract.js';
import type { DispatchResult } from '../../../electron/api/dispatch.js';
import { createService, type HoldoutService } from '../../../electron/engine/service/create-service.js';
import { registerIpc } from '../../../electron/main/ipc/register-ipc.js';
import { checkSender, type SenderEventLike } from '../../../electron/main/ipc/sender-gate.js';

// A stand-in for Electron's ipcMain transport only: handle/removeHandler and a way to
// invoke a channel as a renderer would. The handlers behind it are the real service.
class FakeIpcMain {
  readonly channels = new Map<string, (event: SenderEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: SenderEventLike, ...args: unknown[]) => unknown): void {
    if (this.channels.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.channels.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.channels.delete(channel);
  }
  async invoke(channel: string, event: SenderEventLike, ...args: unknown[]): Promise<DispatchResult> {
    const listener = this.channels.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return (await listener(event, ...args)) as DispatchResult;
  }
}

const OWN = 1;
const trusted: SenderEventLike = { sender: { id: OWN }, senderFrame: { url: 'app://holdout/index.html', parent: null } };
const foreign: SenderEventLike = { sender: { id: OWN }, senderFrame: { url: 'https://evil.example/', parent: null } };

let tmp: string;
let service: HoldoutService;
let ipc: FakeIpcMain;
let dispose: () => void;
let logs: string[];

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-ipc-'));
  service = createService({ settingsDir: path.join(tmp, 'settings'), shell: 'electron', emit: () => {} });
  ipc = new FakeIpcMain();
  logs = [];
  dispose = registerIpc(ipc, {
    handlers: service.handlers,
    gate: (event) => checkSender(event, { isOwnWebContents: (id) => id === OWN }),
    log: (m) => logs.push(m),
  });
});
afterEach(async () => {
  dispose();
  await service.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('registerIpc', () => {
  it("registers exactly one 'api:' channel per contract method", () => {
    expect([...ipc.channels.keys()].sort()).toEqual(methodNames.map((m) => `api:${m}`).sort());
  });

  it('dispatches a trusted call to the service', async () => {
    const result = await ipc.invoke('api:app.info', trusted, {});
    expect(result.ok).toBe(true);
    expect(result.ok && (result.value as { shell: string }).shell).toBe('electron');
  });

  it('runs a real round trip: create a project, then read it back', async () => {
    const dir = path.join(tmp, 'project');
    const created = await ipc.invoke('api:project.create', trusted, { dir, name: 'Beetles' });
    expect(created).toMatchObject({ ok: true, value: { name: 'Beetles', imageCount: 0 } });
    const current = await ipc.invoke('api:project.current', trusted, {});
    expect(current).toMatchObject({ ok: true, value: { name: 'Beetles' } });
  });

  it('answers hostile payloads with a validation error, never a throw', async () => {
    const hostile: unknown[] = [
      { dir: 42 },
      { dir: '/tmp/x', extra: 'field' },
      { dir: 'a\0b' },
      'a string',
      [1, 2, 3],
      // An own "__proto__" key, as JSON.parse or a structured clone would produce it.
      JSON.parse('{"dir":"/tmp/x","__proto__":{"polluted":true}}'),
      { dir: 'x'.repeat(5000) },
    ];
    for (const payload of hostile) {
      const result = await ipc.invoke('api:project.open', trusted, payload);
      expect(result.ok, JSON.stringify(payload)?.slice(0, 60)).toBe(false);
      expect(!result.ok && result.error.code).toBe('invalid_request');
    }
    const paging = await ipc.invoke('api:images.page', trusted, { offset: -1, limit: 1e9 });
    expect(paging).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats a missing request as an empty one', async () => {
    expect((await ipc.invoke('api:project.current', trusted)).ok).toBe(true);
  });

  it('uses only the first argument as the request', async () => {
    const result = await ipc.invoke('api:project.current', trusted, {}, { smuggled: true });
    expect(result).toEqual({ ok: true, value: null });
  });

  it('refuses an untrusted sender before the handler runs', async () => {
    const dir = path.join(tmp, 'should-not-exist');
    const result = await ipc.invoke('api:project.create', foreign, { dir });
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: 'this caller may not use the API' } });
    expect(fs.existsSync(dir)).toBe(false);
    expect(logs).toEqual(['ipc project.create refused: sender is not on the app origin']);
  });

  it('refuses a sub-frame and a window the app did not create', async () => {
    const subFrame: SenderEventLike = {
      sender: { id: OWN },
      senderFrame: { url: 'app://holdout/index.html', parent: { url: 'app://holdout/index.html', parent: null } },
    };
    const stranger: SenderEventLike = { sender: { id: 2 }, senderFrame: { url: 'app://holdout/index.html', parent: null } };
    expect((await ipc.invoke('api:app.info', subFrame, {})).ok).toBe(false);
    expect((await ipc.invoke('api:app.info', stranger, {})).ok).toBe(false);
  });

  it('removes every channel it registered', () => {
    dispose();
    expect(ipc.channels.size).toBe(0);
  });
});
