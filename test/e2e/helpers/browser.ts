// A real Chromium through playwright-core, with its own throw-away profile, launched
// with the flags that keep it off the (closed) network.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught page errors, to assert a clean run. */
  problems: string[];
}

export interface BrowserHandle extends WatchedPage {
  context: BrowserContext;
  /** Another tab (its own sessionStorage), watched the same way. */
  newPage(): Promise<WatchedPage>;
  close(): Promise<void>;
}

function watch(page: Page): WatchedPage {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  // Generous: CI machines have 2 cores and run the import, Chromium and other test files at once.
  page.setDefaultTimeout(45_000);
  return { page, problems };
}

export async function launchBrowser(viewport = { width: 1280, height: 860 }): Promise<BrowserHandle> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-e2e-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.HOLDOUT_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    deviceScaleFactor: 1,
    timeout: 60_000,
  });
  const first = watch(context.pages()[0] ?? (await context.newPage()));
  return {
    context,
    ...first,
    newPage: async () => watch(await context.newPage()),
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
