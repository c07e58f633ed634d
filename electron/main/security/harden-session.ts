// Session-wide defences: the CSP header on every response, and every permission
// (camera, geolocation, notifications, HID, …) refused, both when the page asks and
// when Chromium merely checks. Holdout needs none of them. Electron is only a type.
import type { Session } from 'electron';
import { cspApplies, withCspHeader } from './csp.js';

type Hardenable = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
> & { webRequest: Pick<Session['webRequest'], 'onHeadersReceived'> };

export function hardenSession(session: Hardenable): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    // An empty answer leaves the response as it was.
    if (!cspApplies(details.url)) return callback({});
    callback({ responseHeaders: withCspHeader(details.responseHeaders) });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
