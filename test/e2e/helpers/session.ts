// One browser test file's world: a temporary folder, the real `holdout serve` (with a
// project or on the Projects screen) and a watched Chromium page, made together and
// taken down together. What fails half-way is taken down at once, so a file whose
// browser did not start leaves no server or folder behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type BrowserHandle } from './browser.js';
import { startServe, type ServeHandle } from './serve.js';

export interface E2eSession {
  tmp: string;
  server: ServeHandle;
  browser: BrowserHandle;
  page: Page;
  close(): Promise<void>;
}

export interface E2eSessionOptions {
  /** The temporary folder's name prefix, e.g. 'holdout-e2e-cur-'. */
  prefix: string;
  /** Fills the folder before the server starts (photos, a project); its return: the project to open, if any. */
  prepare?: (tmp: string) => Promise<string | void>;
  viewport?: { width: number; height: number };
}

export async function openE2eSession(options: E2eSessionOptions): Promise<E2eSession> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix));
  let server: ServeHandle | undefined;
  const close = async () => {
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const project = (await options.prepare?.(tmp)) ?? undefined;
    server = await startServe({ settingsDir: path.join(tmp, 'settings'), ...(project ? { project } : {}) });
    const browser = await launchBrowser(options.viewport);
    browser.page.setDefaultTimeout(20_000);
    return {
      tmp,
      server,
      browser,
      page: browser.page,
      async close() {
        await browser.close();
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}
