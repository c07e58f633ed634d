// A recording stand-in for the parts of the 'electron' module main.ts uses. Electron's
// binary cannot run on the development machines, so tests of main.ts load it with
// vi.mock('electron', () => import('./helpers/fake-electron.js')).
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';

/** What happened, in order: the startup-order assertions read this. */
export const log: string[] = [];

let resolveReady!: () => void;
const ready = new Promise<void>((resolve) => (resolveReady = resolve));

export const state = {
  /** What requestSingleInstanceLock answers. */
  lock: true,
  userData: fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-main-')),
  /** Emits Electron's ready. */
  resolveReady: () => resolveReady(),
  /** What the folder dialog returns (null: cancelled). */
  picked: '/home/ana/beetles' as string | null,
};

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  requestSingleInstanceLock: () => (log.push('requestSingleInstanceLock'), state.lock),
  enableSandbox: () => void log.push('enableSandbox'),
  whenReady: () => ready.then(() => void log.push('ready')),
  getPath: (name: string) => (name === 'userData' ? state.userData : os.tmpdir()),
  setAppUserModelId: () => {},
  quit: vi.fn(() => void log.push('quit')),
  exit: vi.fn(),
});

type ProtocolHandler = (request: Request) => Promise<Response>;
export const protocol = {
  handlers: new Map<string, ProtocolHandler>(),
  privileged: [] as Array<{ scheme: string; privileges: Record<string, boolean> }>,
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>) {
    log.push('registerSchemesAsPrivileged');
    protocol.privileged.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler) {
    log.push(`protocol.handle ${scheme}`);
    protocol.handlers.set(scheme, handler);
  },
};

const hooks = new Map<string, unknown>();
export const session = {
  defaultSession: {
    hooks,
    webRequest: { onHeadersReceived: (listener: unknown) => void hooks.set('headers', listener) },
    setPermissionRequestHandler: (handler: unknown) => void hooks.set('request', handler),
    setPermissionCheckHandler: (handler: unknown) => void hooks.set('check', handler),
    setDevicePermissionHandler: (handler: unknown) => void hooks.set('device', handler),
  },
};

type IpcListener = (event: unknown, ...args: unknown[]) => unknown;
export const ipcMain = {
  handlers: new Map<string, IpcListener>(),
  handle(channel: string, listener: IpcListener) {
    if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcMain.handlers.set(channel, listener);
  },
  removeHandler(channel: string) {
    ipcMain.handlers.delete(channel);
  },
};

let nextId = 1;
export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  url = '';
  sent: unknown[][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return false;
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.all;
  }
  readonly webContents = new FakeWebContents();
  constructor(readonly options: { webPreferences: Record<string, unknown>; show: boolean }) {
    super();
    log.push('new BrowserWindow');
    BrowserWindow.all.push(this);
    // Real Electron announces every new webContents on the app.
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    log.push(`loadURL ${url}`);
    this.webContents.url = url;
    return Promise.resolve();
  }
  show(): void {}
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
}

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({
    canceled: state.picked === null,
    filePaths: state.picked === null ? [] : [state.picked],
  })),
  showErrorBox: vi.fn(),
};

export const shell = { openExternal: vi.fn(async (_url: string) => {}) };
