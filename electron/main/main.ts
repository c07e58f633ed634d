// The Electron main process: wiring only. Every decision lives in a pure module beside
// this file (security/, protocols/, ipc/, lifecycle/) and in the engine's service.
// Order matters: schemes are registered and the sandbox enabled before `ready`; the
// session is hardened and the protocols handled before the first window loads.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, ipcMain, protocol, session, shell, BrowserWindow, type WebContents } from 'electron';
import { MEDIA_SCHEME } from '../api/window-api.js';
import { createService, type HoldoutService } from '../engine/service/create-service.js';
import { appLayout } from './app-layout.js';
import { createPickFolder } from './dialogs/pick-folder.js';
import { createEventForwarder } from './ipc/event-forwarder.js';
import { registerIpc } from './ipc/register-ipc.js';
import { checkSender } from './ipc/sender-gate.js';
import { createQuitSequencer } from './lifecycle/quit-sequencer.js';
import { handleAppRequest } from './protocols/app-protocol.js';
import { handleMediaRequest } from './protocols/media-protocol.js';
import { hardenSession } from './security/harden-session.js';
import { hardenWebContents } from './security/harden-web-contents.js';
import { APP_SCHEME, PRIVILEGED_SCHEMES } from './security/schemes.js';
import { createUtilityProcessLauncher, trainWorkerPath } from './train-launcher.js';
import { createMainWindow } from './window/create-main-window.js';
import { WindowRegistry } from './window/window-registry.js';

// sharp (import) runs on libuv's thread pool, shared by all worker threads; the default
// of 4 would idle the cores of a bigger machine. Set before the pool first starts.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, os.availableParallelism()));

// A packaged app ships the bundled backbones beside its archive (electron-builder's
// extraResources); the engine, its workers and the training utility process (which
// inherits this environment) find them there.
if (app.isPackaged) process.env.HOLDOUT_RESOURCES_DIR ??= process.resourcesPath;

const layout = appLayout(path.dirname(fileURLToPath(import.meta.url)));
const log = (message: string): void => console.warn(`holdout: ${message}`);

// Before `ready`: Electron emits ready only once this entry module has evaluated, so
// these synchronous top-level calls are in time. (Never top-level-await whenReady: the
// app would hang; and a dynamic import() here would not be waited for.)
protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES.map((s) => ({ scheme: s.scheme, privileges: { ...s.privileges } })));
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another Holdout is running; it is told (second-instance) and focuses its window.
  app.quit();
} else {
  start();
}

function start(): void {
  const windows = new WindowRegistry<WebContents>();
  let service: HoldoutService | null = null;
  let mainWindow: BrowserWindow | null = null;

  // Every webContents Electron creates, ours or not, gets the navigation policy.
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, {
      openExternal: (url) => void shell.openExternal(url).catch((err: unknown) => log(`openExternal failed: ${String(err)}`)),
      log,
    });
  });

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  const openWindow = (): void => {
    mainWindow = createMainWindow({ layout, devTools: !app.isPackaged, registry: windows });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };

  const quitSequencer = createQuitSequencer({
    dispose: async () => {
      await service?.dispose();
    },
    quit: () => app.quit(),
    log,
  });
  app.on('will-quit', (event) => quitSequencer.onWillQuit(event));
  app.on('window-all-closed', () => {
    // macOS keeps apps alive without windows; the dock icon reopens one (activate).
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (service && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app
    .whenReady()
    .then(() => {
      if (process.platform === 'win32') app.setAppUserModelId('org.holdout.app');
      hardenSession(session.defaultSession);
      protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, layout.rendererDir));

      const pickFolder = createPickFolder((options) =>
        mainWindow && !mainWindow.isDestroyed() ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options),
      );
      const created = createService({
        settingsDir: app.getPath('userData'),
        shell: 'electron',
        emit: createEventForwarder(() => windows.list(), log),
        overrides: { 'dialog.pickFolder': pickFolder },
        trainerLauncher: createUtilityProcessLauncher({ workerPath: trainWorkerPath(path.dirname(fileURLToPath(import.meta.url))) }),
      });
      service = created;
      protocol.handle(MEDIA_SCHEME, (request) => handleMediaRequest(request, () => created.project()));
      registerIpc(ipcMain, {
        handlers: created.handlers,
        gate: (event) => checkSender(event, { isOwnWebContents: (id) => windows.has(id) }),
        log,
      });
      openWindow();
    })
    .catch((err: unknown) => {
      // Nothing useful can run without the service (e.g. the settings folder is not
      // writable): say so in words, then quit.
      const message = err instanceof Error ? err.message : String(err);
      dialog.showErrorBox('Holdout could not start', message);
      app.exit(1);
    });
}
