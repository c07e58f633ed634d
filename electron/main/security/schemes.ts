// The two custom schemes the app owns, and the privileges Chromium grants them.
// `app://holdout/` serves the built renderer so the page has a real, secure origin
// (file:// pages share one opaque origin with every file on disk); `holdout-media://media/`
// serves thumbnails and originals through resolveMedia. Pure constants: the protocol
// handlers, the navigation policy, the sender gate and the CSP all agree on them.
import { MEDIA_SCHEME } from '../../api/window-api.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'holdout';
/** The renderer's origin as Chromium reports it for a standard scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** The media scheme is standard, so its URLs need a host; this is the only one served. */
export const MEDIA_HOST = 'media';
/** What the preload exposes as `mediaBase`. */
export const MEDIA_BASE = `${MEDIA_SCHEME}://${MEDIA_HOST}/`;

/** Structurally Electron's CustomScheme; kept here so the module never loads 'electron'. */
export interface PrivilegedScheme {
  scheme: string;
  privileges: {
    standard?: boolean;
    secure?: boolean;
    bypassCSP?: boolean;
    allowServiceWorkers?: boolean;
    supportFetchAPI?: boolean;
    corsEnabled?: boolean;
    stream?: boolean;
    codeCache?: boolean;
  };
}

export const PRIVILEGED_SCHEMES: readonly PrivilegedScheme[] = [
  {
    scheme: APP_SCHEME,
    // standard: real origin and relative URLs; secure: a secure context like https;
    // corsEnabled + supportFetchAPI: Vite emits `<script type="module" crossorigin>`,
    // which is fetched in CORS mode. Never bypassCSP, never service workers.
    privileges: {
      standard: true,
      secure: true,
      supportFetchAPI: true,
      corsEnabled: true,
      codeCache: true,
      bypassCSP: false,
      allowServiceWorkers: false,
    },
  },
  {
    scheme: MEDIA_SCHEME,
    // corsEnabled so the renderer may draw a thumbnail into a canvas (augmentation
    // preview) with the CORS header the handler sends; stream for large originals.
    privileges: {
      standard: true,
      secure: true,
      supportFetchAPI: true,
      corsEnabled: true,
      stream: true,
      bypassCSP: false,
      allowServiceWorkers: false,
    },
  },
];

/**
 * True when `url` is on the app's own origin. Compares scheme and host rather than
 * URL.origin, because Node (where this is tested) reports "null" as the origin of
 * every non-special scheme while Chromium reports `app://holdout`.
 */
export function isAppUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length > 8192) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (
    u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === ''
  );
}
