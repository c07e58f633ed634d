// A second Holdout must hand over to the first and quit, before touching anything.
import fs from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as fake from './helpers/fake-electron.js';

vi.mock('electron', () => import('./helpers/fake-electron.js'));
afterAll(() => fs.rmSync(fake.state.userData, { recursive: true, force: true }));

describe('main.ts as a second instance', () => {
  it('quits without creating a window, a protocol handler or IPC channels', async () => {
    fake.state.lock = false;
    await import('../../../electron/main/main.js');
    fake.state.resolveReady();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
    expect(fake.BrowserWindow.all).toHaveLength(0);
    expect(fake.protocol.handlers.size).toBe(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(fake.app.listenerCount('will-quit')).toBe(0);
  });
});
