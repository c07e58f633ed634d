// The Content-Security-Policy of the renderer. It is sent twice on purpose: as a header
// on every response the app protocol serves, and added to every response by the
// session's onHeadersReceived hook, so the page is covered whichever path a response takes.
import { MEDIA_SCHEME } from '../../api/window-api.js';

/** Directive → sources. Scripts only from the app itself: no inline, no eval. */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // Svelte transitions and style: attributes write inline styles.
  'style-src': ["'self'", "'unsafe-inline'"],
  // Thumbnails and originals come from the media protocol; data:/blob: for previews.
  'img-src': ["'self'", `${MEDIA_SCHEME}:`, 'data:', 'blob:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'none'"],
};

export function contentSecurityPolicy(directives: Readonly<Record<string, readonly string[]>> = CSP_DIRECTIVES): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

export const CSP = contentSecurityPolicy();

/**
 * Whether the session hook should set our CSP on a response. Every response of ours,
 * subresources included (a worker's CSP comes from its own script's headers), but not
 * Chromium's internal pages: DevTools in unpackaged builds ships its own policy and
 * breaks under ours.
 */
export function cspApplies(url: string): boolean {
  return !/^(devtools|chrome|chrome-extension|chrome-untrusted):/i.test(url);
}

export type HeaderMap = Record<string, string | string[]>;

/**
 * Response headers with our CSP replacing any the response carried (header names are
 * case-insensitive, so a `content-security-policy` from elsewhere must not survive
 * beside ours and loosen nothing but confuse everything).
 */
export function withCspHeader(headers: Readonly<HeaderMap> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') continue;
    out[name] = Array.isArray(value) ? [...value] : [value];
  }
  out['Content-Security-Policy'] = [CSP];
  return out;
}
