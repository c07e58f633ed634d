import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from '../../../electron/main/security/web-preferences.js';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences({ preload: '/app/dist/electron/preload/preload.cjs', devTools: false });

  it('isolates, sandboxes and keeps Node out of the renderer', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and the risky features off', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.spellcheck).toBe(false);
  });

  it('loads the given preload and enables no Blink features', () => {
    expect(prefs.preload).toBe('/app/dist/electron/preload/preload.cjs');
    expect(prefs.enableBlinkFeatures).toBeUndefined();
  });

  it('gives developer tools only when asked (unpackaged builds)', () => {
    expect(prefs.devTools).toBe(false);
    expect(secureWebPreferences({ preload: '/p.cjs', devTools: true }).devTools).toBe(true);
  });
});
