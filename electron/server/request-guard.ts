// The checks every request to the web bridge passes before anything else runs.
// The bridge listens on loopback only, but a web page in the user's browser can still
// reach loopback: so every API and media request needs the per-launch token, the Host
// header must name loopback with our port (DNS rebinding), and a cross-site Origin is
// refused outright.
import { timingSafeEqual } from 'node:crypto';

export interface GuardContext {
  port: number;
  token: string;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  return LOOPBACK_HOSTS.some((h) => hostHeader.toLowerCase() === `${h}:${port}`);
}

/** No Origin (same-origin GETs, curl) is fine; a present Origin must be our own. */
export function allowedOrigin(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return true;
  return LOOPBACK_HOSTS.some((h) => originHeader.toLowerCase() === `http://${h}:${port}`);
}

export function tokenMatches(presented: string | null | undefined, token: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer …`, or from `?token=` (EventSource and <img> cannot set headers). */
export function presentedToken(authorization: string | undefined, url: URL): string | null {
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  return url.searchParams.get('token');
}
