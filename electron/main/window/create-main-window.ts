// Creates the app's window: secure webPreferences, trusted by the IPC gate for as long
// as it lives, shown once the first frame is ready, loading the renderer from app://.
import fs from 'node:fs';
import { BrowserWindow, type WebContents } from 'electron';
import type { AppLayout } from '../app-layout.js';
import { APP_INDEX_URL } from '../security/schemes.js';
import { secureWebPreferences } from '../security/web-preferences.js';
import type { WindowRegistry } from './window-registry.js';

export interface MainWindowOptions {
  layout: AppLayout;
  devTools: boolean;
  registry: WindowRegistry<WebContents>;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { layout } = options;
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    title: 'Holdout',
    // Shown on ready-to-show, so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#1b1f24',
    ...(process.platform === 'linux' && fs.existsSync(layout.windowIcon) ? { icon: layout.windowIcon } : {}),
    webPreferences: secureWebPreferences({ preload: layout.preload, devTools: options.devTools }),
  });
  // Registered before loading, so the page's first IPC call already passes the gate.
  options.registry.add(win.webContents);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_INDEX_URL).catch((err: unknown) => {
    console.error(`holdout: the window could not load ${APP_INDEX_URL}:`, err);
  });
  return win;
}
