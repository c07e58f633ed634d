import { describe, expect, it } from 'vitest';
import { eventNames, methodNames } from '../../../electron/api/contract.js';
import { MEDIA_BASE } from '../../../electron/main/security/schemes.js';
import { buildPreloadApi, type PreloadIpc } from '../../../electron/preload/build-api.js';

// A stand-in for Electron's ipcRenderer: records invokes and lets the test play main.
function fakeIpc() {
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, Array<(event: unknown, ...args: unknown[]) => void>>();
  const ipc: PreloadIpc = {
    invoke: async (channel, ...args) => {
      invoked.push({ channel, args });
      return { ok: true, value: channel };
    },
    on: (channel, listener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    },
  };
  const emit = (channel: string, ...args: unknown[]) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'the IPC event must not leak' }, ...args);
  };
  return { ipc, invoked, listeners, emit };
}

describe('buildPreloadApi', () => {
  it('exposes exactly methods, on, mediaBase and pathForFile', () => {
    const api = buildPreloadApi(fakeIpc().ipc, () => '');
    expect(Object.keys(api).sort()).toEqual(['mediaBase', 'methods', 'on', 'pathForFile']);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('has exactly one function per contract method', () => {
    const api = buildPreloadApi(fakeIpc().ipc, () => '');
    expect(Object.keys(api.methods).sort()).toEqual([...methodNames].sort());
    for (const name of methodNames) expect(typeof api.methods[name]).toBe('function');
    expect(Object.isFrozen(api.methods)).toBe(true);
  });

  it("invokes each method on its own 'api:' channel with the request alone", async () => {
    const { ipc, invoked } = fakeIpc();
    const api = buildPreloadApi(ipc, () => '');
    const result = await api.methods['images.page']({ offset: 0, limit: 10 });
    expect(result).toEqual({ ok: true, value: 'api:images.page' });
    expect(invoked).toEqual([{ channel: 'api:images.page', args: [{ offset: 0, limit: 10 }] }]);
    for (const name of methodNames) await api.methods[name]({});
    expect(invoked.slice(1).map((i) => i.channel)).toEqual(methodNames.map((m) => `api:${m}`));
  });

  it('refuses unknown event names and non-function listeners', () => {
    const { ipc, listeners } = fakeIpc();
    const api = buildPreloadApi(ipc, () => '');
    expect(() => api.on('import.bogus' as never, () => {})).toThrow(TypeError);
    expect(() => api.on('__proto__' as never, () => {})).toThrow(TypeError);
    expect(() => api.on('toString' as never, () => {})).toThrow(TypeError);
    expect(() => api.on('project.changed', 'not a function' as never)).toThrow(TypeError);
    // Nothing was subscribed for a refused call.
    expect(listeners.size).toBe(0);
  });

  it('delivers payloads (never the IPC event) to listeners of that event only', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const api = buildPreloadApi(ipc, () => '');
    const changed: unknown[] = [];
    const progress: unknown[] = [];
    api.on('project.changed', (p) => changed.push(p));
    api.on('import.progress', (p) => progress.push(p));
    expect([...listeners.keys()]).toEqual(['api:event']);
    expect(listeners.get('api:event')).toHaveLength(1);
    emit('api:event', 'project.changed', { reason: 'import' });
    expect(changed).toEqual([{ reason: 'import' }]);
    expect(progress).toEqual([]);
  });

  it('ignores event names main never sends', () => {
    const { ipc, emit } = fakeIpc();
    const api = buildPreloadApi(ipc, () => '');
    const seen: unknown[] = [];
    for (const name of eventNames) api.on(name, (p) => seen.push(p));
    emit('api:event', 'constructor', {});
    emit('api:event', 42, {});
    expect(seen).toEqual([]);
  });

  it('unsubscribes exactly the subscription it returned', () => {
    const { ipc, emit } = fakeIpc();
    const api = buildPreloadApi(ipc, () => '');
    const seen: string[] = [];
    const listener = () => seen.push('x');
    const off1 = api.on('project.changed', listener);
    api.on('project.changed', listener);
    off1();
    off1();
    emit('api:event', 'project.changed', { reason: 'r' });
    expect(seen).toEqual(['x']);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const { ipc, emit } = fakeIpc();
    const errors: string[] = [];
    const api = buildPreloadApi(ipc, () => '', (m) => errors.push(m));
    const seen: unknown[] = [];
    api.on('project.changed', () => {
      throw new Error('boom');
    });
    api.on('project.changed', (p) => seen.push(p));
    emit('api:event', 'project.changed', { reason: 'r' });
    expect(seen).toHaveLength(1);
    expect(errors).toEqual(['listener for project.changed failed']);
  });

  it("serves media from main's media origin", () => {
    const api = buildPreloadApi(fakeIpc().ipc, () => '');
    expect(api.mediaBase).toBe('holdout-media://media/');
    expect(api.mediaBase).toBe(MEDIA_BASE);
  });

  it("returns a dropped file's path, or '' when there is none", () => {
    const api = buildPreloadApi(fakeIpc().ipc, (file) => ((file as { name?: string }).name === 'ok' ? '/home/a/ok' : ''));
    expect(api.pathForFile({ name: 'ok' })).toBe('/home/a/ok');
    expect(api.pathForFile(null as never)).toBe('');
    expect(api.pathForFile('x' as never)).toBe('');
    const throwing = buildPreloadApi(fakeIpc().ipc, () => {
      throw new TypeError('Argument is not a File');
    });
    expect(throwing.pathForFile({})).toBe('');
  });
});
