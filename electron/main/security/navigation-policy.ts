// What a window may navigate to and what it may open. The app is one page on its own
// origin: navigating anywhere else (a dropped file, a link, an injected redirect) is
// refused, and new windows are never created; an http(s) link may instead be handed
// to the user's browser.
import { isAppUrl } from './schemes.js';

export type NavigationDecision = 'allow' | 'deny';

/** will-navigate / will-frame-navigate / will-redirect: only the app's own origin. */
export function decideNavigation(url: unknown): NavigationDecision {
  return isAppUrl(url) ? 'allow' : 'deny';
}

export interface WindowOpenDecision {
  action: 'deny';
  /** A normalized http(s) URL to give to the system browser, or null to do nothing. */
  openExternally: string | null;
}

const MAX_EXTERNAL_URL = 2048;

/** setWindowOpenHandler: always deny; pass plain web links to the browser. */
export function decideWindowOpen(url: unknown): WindowOpenDecision {
  return { action: 'deny', openExternally: externalWebUrl(url) };
}

/**
 * The URL itself if it is a plain http(s) link that is safe to hand to the OS: no
 * credentials (a classic phishing disguise), a host, and a sane length. Anything else
 * (file:, javascript:, custom OS handlers like ms-msdt:, smb:) is never opened.
 */
export function externalWebUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_EXTERNAL_URL) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (u.username !== '' || u.password !== '' || u.hostname === '') return null;
  return u.href;
}
