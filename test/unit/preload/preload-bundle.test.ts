// Bundles the real preload the way scripts/build.mjs does (CJS, electron external) and
// runs it the way a sandboxed renderer does: a bare context whose require() knows only
// the few modules Electron's sandbox provides. So the test fails if the preload pulls
// in a Node built-in (fs, path, …), exposes more than `api`, or exposes ipcRenderer.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import vm from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../../electron/api/contract.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
let tmp: string;
let code: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-preload-'));
  const outfile = path.join(tmp, 'preload.cjs');
  await build({
    entryPoints: [path.join(root, 'electron', 'preload', 'preload.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    logLevel: 'silent',
  });
  code = fs.readFileSync(outfile, 'utf8');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function runPreload() {
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: null }),
      on: () => {},
    },
    webUtils: { getPathForFile: () => '/dropped' },
  };
  const required: string[] = [];
  // What a sandboxed preload may require (Electron docs, "Process Sandboxing").
  const sandboxModules: Record<string, unknown> = { electron, events: {}, timers: {}, url: {} };
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (!(name in sandboxModules)) throw new Error(`module not found: ${name}`);
    return sandboxModules[name];
  };
  const module = { exports: {} };
  const context = vm.createContext({ require: sandboxRequire, module, exports: module.exports, console });
  vm.runInContext(code, context, { filename: 'preload.cjs' });
  return { exposed, invoked, required };
}

describe('the bundled preload', () => {
  it('runs with only the modules a sandboxed preload has', () => {
    const { required } = runPreload();
    expect(required).toEqual(['electron']);
  });

  it('exposes window.api and nothing else, without the raw ipcRenderer', async () => {
    const { exposed, invoked } = runPreload();
    expect([...exposed.keys()]).toEqual(['api']);
    const api = exposed.get('api') as Record<string, unknown> & { methods: Record<string, (r: unknown) => Promise<unknown>> };
    expect(Object.keys(api).sort()).toEqual(['mediaBase', 'methods', 'on', 'pathForFile']);
    expect(Object.keys(api.methods).sort()).toEqual([...methodNames].sort());
    expect(JSON.stringify(Object.keys(api))).not.toContain('ipc');
    await api.methods['app.info']!({});
    expect(invoked).toEqual([['api:app.info', {}]]);
    expect((api.pathForFile as (f: object) => string)({})).toBe('/dropped');
  });
});
