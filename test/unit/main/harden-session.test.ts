import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { CSP } from '../../../electron/main/security/csp.js';
import { hardenSession } from '../../../electron/main/security/harden-session.js';

// A stand-in for the four Session hooks hardenSession installs.
function fakeSession() {
  const hooks: {
    headers?: (details: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void;
    request?: (contents: unknown, permission: string, cb: (granted: boolean) => void) => void;
    check?: (contents: unknown, permission: string) => boolean;
    device?: (details: unknown) => boolean;
  } = {};
  const session = {
    webRequest: { onHeadersReceived: (listener: typeof hooks.headers) => (hooks.headers = listener) },
    setPermissionRequestHandler: (h: typeof hooks.request) => (hooks.request = h),
    setPermissionCheckHandler: (h: typeof hooks.check) => (hooks.check = h),
    setDevicePermissionHandler: (h: typeof hooks.device) => (hooks.device = h),
  };
  return { session: session as unknown as Session, hooks };
}

describe('hardenSession', () => {
  it('puts the CSP on every response, replacing a looser one', () => {
    const { session, hooks } = fakeSession();
    hardenSession(session);
    let result: unknown;
    hooks.headers!(
      { url: 'app://holdout/index.html', responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] } },
      (r) => (result = r),
    );
    expect(result).toEqual({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CSP] } });
  });

  it("leaves DevTools' responses unchanged", () => {
    const { session, hooks } = fakeSession();
    hardenSession(session);
    let result: unknown;
    hooks.headers!({ url: 'devtools://devtools/bundled/devtools_app.html', responseHeaders: { 'X-A': ['1'] } }, (r) => (result = r));
    expect(result).toEqual({});
  });

  it('refuses every permission request, check and device', () => {
    const { session, hooks } = fakeSession();
    hardenSession(session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'unknown']) {
      let granted: boolean | undefined;
      hooks.request!({}, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(hooks.check!({}, permission), permission).toBe(false);
    }
    expect(hooks.device!({ deviceType: 'usb' })).toBe(false);
  });
});
