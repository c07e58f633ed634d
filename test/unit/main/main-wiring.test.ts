// main.ts cannot run here (the Electron binary does not), so this test replaces the
// 'electron' module with a recording fake (helpers/fake-electron.ts) and loads the real
// main.ts against it: the order of startup, the window it creates, the protocols, the
// IPC gate, events and quitting are checked end to end, with the real service behind.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { methodNames } from '../../../electron/api/contract.js';
import type { DispatchResult } from '../../../electron/api/dispatch.js';
import { appLayout } from '../../../electron/main/app-layout.js';
import * as fake from './helpers/fake-electron.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

vi.mock('electron', () => import('./helpers/fake-electron.js'));

// main.ts reports refusals with console.warn; collect them instead of printing them.
const warnings: string[] = [];

beforeAll(async () => {
  vi.spyOn(console, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
  await import('../../../electron/main/main.js');
  fake.log.push('main evaluated');
  fake.state.resolveReady();
  await vi.waitFor(() => expect(fake.BrowserWindow.all).toHaveLength(1));
});
afterAll(() => fs.rmSync(fake.state.userData, { recursive: true, force: true }));

const win = () => fake.BrowserWindow.all[0]!;
const call = (channel: string, event: unknown, request: unknown) =>
  fake.ipcMain.handlers.get(channel)!(event, request) as Promise<DispatchResult>;
const fromWindow = () => ({ sender: { id: win().webContents.id }, senderFrame: { url: win().webContents.url, parent: null } });

describe('main.ts wiring', () => {
  it('registers schemes and the sandbox before ready, everything else after', () => {
    const at = (entry: string) => fake.log.indexOf(entry);
    expect(at('registerSchemesAsPrivileged')).toBeGreaterThanOrEqual(0);
    expect(at('registerSchemesAsPrivileged')).toBeLessThan(at('main evaluated'));
    expect(at('enableSandbox')).toBeLessThan(at('main evaluated'));
    expect(at('requestSingleInstanceLock')).toBeLessThan(at('main evaluated'));
    expect(at('ready')).toBeLessThan(at('protocol.handle app'));
    expect(at('protocol.handle app')).toBeLessThan(at('new BrowserWindow'));
    expect(at('protocol.handle holdout-media')).toBeLessThan(at('new BrowserWindow'));
    expect(at('new BrowserWindow')).toBeLessThan(at('loadURL app://holdout/index.html'));
  });

  it('registers app and holdout-media as standard, secure schemes that do not bypass CSP', () => {
    expect(fake.protocol.privileged.map((s) => s.scheme)).toEqual(['app', 'holdout-media']);
    for (const s of fake.protocol.privileged) {
      expect(s.privileges).toMatchObject({ standard: true, secure: true, bypassCSP: false });
    }
  });

  it('opens one secure window on the app origin', () => {
    const prefs = win().options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: true });
    // Loaded from source here, so the layout is computed from electron/main/ (its mapping
    // of dist/ is app-layout.test.ts's job); what matters is main.ts uses it.
    expect(prefs.preload).toBe(appLayout(path.join(root, 'electron', 'main')).preload);
    expect(win().options.show).toBe(false);
    expect(win().webContents.url).toBe('app://holdout/index.html');
  });

  it('hardens the session and every new webContents', () => {
    expect([...fake.session.defaultSession.hooks.keys()].sort()).toEqual(['check', 'device', 'headers', 'request']);
    expect(win().webContents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    let prevented = false;
    win().webContents.emit('will-navigate', { url: 'https://evil.example/', preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(warnings).toContain('holdout: navigation refused: https://evil.example/');
  });

  it('serves media through the service: 404 while no project is open', async () => {
    const handler = fake.protocol.handlers.get('holdout-media')!;
    expect((await handler(new Request(`holdout-media://media/thumb/${'a'.repeat(64)}`))).status).toBe(404);
    expect((await handler(new Request(`holdout-media://elsewhere/thumb/${'a'.repeat(64)}`))).status).toBe(403);
  });

  it('handles every contract method, and only from the window it created', async () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(methodNames.map((m) => `api:${m}`).sort());
    const info = await call('api:app.info', fromWindow(), {});
    expect(info).toMatchObject({ ok: true, value: { shell: 'electron' } });
    const stranger = { sender: { id: 999 }, senderFrame: { url: 'app://holdout/index.html', parent: null } };
    expect(await call('api:app.info', stranger, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(warnings).toContain('holdout: ipc app.info refused: sender is not an app window');
  });

  it("answers dialog.pickFolder with Electron's folder dialog", async () => {
    const result = await call('api:dialog.pickFolder', fromWindow(), { title: 'Pick' });
    expect(result).toEqual({ ok: true, value: { path: '/home/ana/beetles' } });
    const [parent, options] = fake.dialog.showOpenDialog.mock.calls[0]! as unknown as [unknown, { properties: string[] }];
    expect(parent).toBe(win());
    expect(options.properties).toContain('openDirectory');
  });

  it('forwards service events to the window', async () => {
    const dir = path.join(fake.state.userData, 'project');
    expect(await call('api:project.create', fromWindow(), { dir })).toMatchObject({ ok: true });
    expect(win().webContents.sent).toContainEqual(['api:event', 'project.changed', { reason: 'opened' }]);
    expect(fs.existsSync(path.join(dir, 'holdout.db'))).toBe(true);
  });

  it('disposes the service before quitting', async () => {
    let prevented = false;
    fake.app.emit('will-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
    // The service closed the project: a media request now finds none.
    const handler = fake.protocol.handlers.get('holdout-media')!;
    expect((await handler(new Request(`holdout-media://media/thumb/${'a'.repeat(64)}`))).status).toBe(404);
    let preventedAgain = false;
    fake.app.emit('will-quit', { preventDefault: () => (preventedAgain = true) });
    expect(preventedAgain).toBe(false);
  });
});
