// The webPreferences of every window the app opens, per Electron's security checklist.
// A pure function so a test pins each value; typed against Electron's own interface
// (type-only import, erased at build) so a misspelt key fails the type check.
import type { WebPreferences } from 'electron';

export interface WindowSecurityOptions {
  /** Absolute path of the bundled preload (dist/electron/preload/preload.cjs). */
  preload: string;
  /** Developer tools only in unpackaged builds. */
  devTools: boolean;
}

export function secureWebPreferences(options: WindowSecurityOptions): WebPreferences {
  return {
    preload: options.preload,
    // The page and the preload live in separate JavaScript worlds; the page sees only
    // what contextBridge exposes.
    contextIsolation: true,
    // The renderer process runs in Chromium's OS-level sandbox; no Node anywhere in it.
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    // Dropping a file on the window must not navigate to file://; the renderer
    // handles drops itself (window.api.pathForFile).
    navigateOnDragDrop: false,
    // A page that opens alert() in a loop can be stopped by the user.
    safeDialogs: true,
    // Spellcheck would send nothing anywhere, but it downloads dictionaries: we are offline.
    spellcheck: false,
    devTools: options.devTools,
  };
}
