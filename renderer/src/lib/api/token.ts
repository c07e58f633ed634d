// The web bridge's access token. The page is opened at `/?token=…`; the token is read
// once, kept in sessionStorage (so a reload of this tab still works) and removed from
// the address bar so it is not left in history, bookmarks or screenshots.
// Pure: the location, storage and history are passed in.

export const TOKEN_STORAGE_KEY = 'holdout.token';

export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface TokenEnvironment {
  /** The page's full address (location.href). */
  href: string;
  storage: TokenStorage | null;
  /** history.replaceState with the address without the token. */
  replaceUrl(url: string): void;
}

/** The address without its `token` query parameter (other parameters and the hash stay). */
export function withoutToken(href: string): string {
  const url = new URL(href);
  url.searchParams.delete('token');
  const search = url.searchParams.toString();
  return `${url.origin}${url.pathname}${search ? `?${search}` : ''}${url.hash}`;
}

/** The token from the address (then stored and removed from it) or from storage; null if neither has one. */
export function takeToken(env: TokenEnvironment): string | null {
  const fromUrl = new URL(env.href).searchParams.get('token');
  if (fromUrl) {
    try {
      env.storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still works for this page's life.
    }
    env.replaceUrl(withoutToken(env.href));
    return fromUrl;
  }
  try {
    return env.storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
