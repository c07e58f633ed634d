// Picks the transport for this window: the preload's window.api inside Electron, the
// web bridge otherwise (token from the address, see token.ts). The only module of the
// API client that touches browser globals.
import type { PreloadApi } from '../../../../electron/api/window-api.js';
import { HoldoutClient, preloadTransport, webTransport, type FetchLike } from './client.js';
import { takeToken } from './token.js';

declare global {
  interface Window {
    api?: PreloadApi;
  }
}

let client: HoldoutClient | null = null;

/** The app's client, created on first use. */
export function getApi(): HoldoutClient {
  if (client) return client;
  if (window.api) {
    client = new HoldoutClient(preloadTransport(window.api));
    return client;
  }
  const token = takeToken({
    href: window.location.href,
    storage: sessionStorageOrNull(),
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
  });
  client = new HoldoutClient(
    webTransport({
      token,
      fetch: ((url, init) => window.fetch(url, init)) satisfies FetchLike,
      eventSource: typeof EventSource === 'undefined' ? null : (url) => new EventSource(url),
    }),
  );
  return client;
}

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
