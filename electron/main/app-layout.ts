// Where the built pieces sit relative to the compiled main.js, as scripts/build.mjs lays
// them out (dist/electron/main/main.js, dist/electron/preload/preload.cjs, dist/renderer/)
// and electron-builder packs them (same tree inside app.asar, resources/ beside dist/).
import path from 'node:path';

export interface AppLayout {
  preload: string;
  rendererDir: string;
  /** A 512×512 PNG for the window icon on Linux (macOS and Windows use the bundle's). */
  windowIcon: string;
}

export function appLayout(mainDir: string): AppLayout {
  const dist = path.resolve(mainDir, '..', '..');
  return {
    preload: path.join(dist, 'electron', 'preload', 'preload.cjs'),
    rendererDir: path.join(dist, 'renderer'),
    windowIcon: path.join(dist, '..', 'resources', 'icons', '512x512.png'),
  };
}
