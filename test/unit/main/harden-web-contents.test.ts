import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { hardenWebContents } from '../../../electron/main/security/harden-web-contents.js';

// A stand-in for Electron's WebContents event surface (Electron cannot run here).
class FakeContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  navigate(event: string, url: string): boolean {
    let prevented = false;
    this.emit(event, { url, preventDefault: () => (prevented = true) });
    return prevented;
  }
}

function setup() {
  const contents = new FakeContents();
  const opened: string[] = [];
  const logs: string[] = [];
  hardenWebContents(contents as unknown as WebContents, { openExternal: (url) => opened.push(url), log: (m) => logs.push(m) });
  return { contents, opened, logs };
}

describe('hardenWebContents', () => {
  for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
    it(`${event}: lets app URLs through and prevents everything else`, () => {
      const { contents, logs } = setup();
      expect(contents.navigate(event, 'app://holdout/index.html')).toBe(false);
      expect(contents.navigate(event, 'https://example.com/')).toBe(true);
      expect(contents.navigate(event, 'file:///etc/passwd')).toBe(true);
      expect(contents.navigate(event, 'javascript:alert(1)')).toBe(true);
      expect(logs).toHaveLength(3);
    });
  }

  it('refuses webviews', () => {
    const { contents } = setup();
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    expect(prevented).toBe(true);
  });

  it('denies every window.open and opens only validated web links externally', () => {
    const { contents, opened } = setup();
    const handler = contents.windowOpenHandler!;
    expect(handler({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'app://holdout/index.html' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/docs']);
  });
});
