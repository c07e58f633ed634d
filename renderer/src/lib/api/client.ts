// The renderer's one way to reach the app. Inside Electron it goes through the preload
// (window.api); in a browser through the web bridge (HTTP calls + Server-Sent Events on
// 127.0.0.1 with a per-launch token). Either way the views see the same typed
// HoldoutApi from the contract, failures arrive as ApiError, and media URLs come from
// thumbUrl / imageUrl.
import type {
  EventName,
  EventPayload,
  HoldoutApi,
  MethodName,
  Request,
  Response,
} from '../../../../electron/api/contract.js';
import type { DispatchResult } from '../../../../electron/api/dispatch.js';
import { ApiError, type ApiErrorCode, type ApiErrorShape } from '../../../../electron/api/errors.js';
import type { PreloadApi } from '../../../../electron/api/window-api.js';

export type Shell = 'electron' | 'web';

/** What a transport must do; the client adds typing, errors and URL building on top. */
export interface Transport {
  readonly shell: Shell;
  invoke(method: string, request: unknown): Promise<DispatchResult>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
  /** `thumb/<sha256>` or `image/<id>` -> a URL the page can load. */
  mediaUrl(path: string): string;
  /** The filesystem path of a dropped File ('' when the shell cannot tell). */
  pathForFile(file: object): string;
  /** Called when the event stream came back after a break (events may have been missed). */
  onReconnect(listener: () => void): () => void;
}

const KNOWN_CODES: ReadonlySet<string> = new Set<ApiErrorCode>([
  'invalid_request',
  'unknown_method',
  'no_project',
  'not_found',
  'conflict',
  'busy',
  'io_error',
  'forbidden',
  'internal',
]);

function isErrorShape(value: unknown): value is ApiErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}

/** A DispatchResult-like value (or anything else) as the call's value, or a thrown ApiError. */
export function unwrap<T>(result: unknown, method: string): T {
  if (typeof result === 'object' && result !== null && 'ok' in result) {
    const r = result as { ok: unknown; value?: unknown; error?: unknown };
    if (r.ok === true) return r.value as T;
    if (r.ok === false && isErrorShape(r.error)) {
      const code = KNOWN_CODES.has(r.error.code) ? r.error.code : 'internal';
      return throwError(new ApiError(code, r.error.message, r.error.field));
    }
  }
  return throwError(new ApiError('internal', `${method}: the app sent an answer this window does not understand`));
}

function throwError(error: ApiError): never {
  throw error;
}

export class HoldoutClient implements HoldoutApi {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** 'electron' inside the desktop app, 'web' through the bridge. */
  get shell(): Shell {
    return this.#transport.shell;
  }

  async call<M extends MethodName>(method: M, request: Request<M>): Promise<Response<M>> {
    let result: DispatchResult;
    try {
      result = await this.#transport.invoke(method, request);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError('io_error', `Holdout did not answer (${method}): ${(err as Error)?.message ?? String(err)}`);
    }
    return unwrap<Response<M>>(result, method);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.#transport.subscribe(event, listener as (payload: unknown) => void);
  }

  onReconnect(listener: () => void): () => void {
    return this.#transport.onReconnect(listener);
  }

  /** The WebP thumbnail (≤256 px) of the image with these bytes. */
  thumbUrl(sha256: string): string {
    return this.#transport.mediaUrl(`thumb/${encodeURIComponent(sha256)}`);
  }

  /** The original image file. */
  imageUrl(id: number): string {
    return this.#transport.mediaUrl(`image/${encodeURIComponent(String(id))}`);
  }

  /** Where a dropped file or folder lives on disk; '' in a browser, which does not tell. */
  pathForFile(file: object): string {
    return this.#transport.pathForFile(file);
  }
}

/** The desktop app: every call and event goes through the preload's window.api. */
export function preloadTransport(api: PreloadApi): Transport {
  return {
    shell: 'electron',
    invoke(method, request) {
      const fn = (api.methods as Record<string, ((req: unknown) => Promise<DispatchResult>) | undefined>)[method];
      if (!fn) return Promise.reject(new ApiError('unknown_method', `unknown method ${method}`));
      return fn(request);
    },
    subscribe(event, listener) {
      return api.on(event as EventName, listener);
    },
    mediaUrl(path) {
      return `${api.mediaBase}${path}`;
    },
    pathForFile(file) {
      try {
        return api.pathForFile(file);
      } catch {
        return '';
      }
    },
    onReconnect() {
      // IPC does not drop events while the window lives.
      return () => {};
    },
  };
}

/** The part of the browser's EventSource the transport uses (tests pass a fake). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void;
  close(): void;
}
export type EventSourceFactory = (url: string) => EventSourceLike;

/** The part of fetch's answer the transport reads. */
export interface FetchResponseLike {
  status: number;
  json(): Promise<unknown>;
}
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; cache?: 'no-store' },
) => Promise<FetchResponseLike>;

export interface WebTransportOptions {
  token: string | null;
  fetch: FetchLike;
  /** Null where there is no EventSource: then no events arrive. */
  eventSource: EventSourceFactory | null;
  /** Origin-relative by default. */
  base?: string;
}

/** The browser: POST /api/call/<method>, SSE from /api/events, media under /media/. */
export function webTransport(options: WebTransportOptions): Transport {
  const base = options.base ?? '';
  const token = options.token;
  const doFetch = options.fetch;
  const openSource = options.eventSource;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const reconnectListeners = new Set<() => void>();
  const tokenQuery = token ? `?token=${encodeURIComponent(token)}` : '';
  let source: EventSourceLike | null = null;
  let hadError = false;

  function ensureSource(): EventSourceLike | null {
    if (source || !openSource) return source;
    source = openSource(`${base}/api/events${tokenQuery}`);
    source.addEventListener('error', () => {
      hadError = true;
    });
    source.addEventListener('open', () => {
      if (!hadError) return;
      hadError = false;
      for (const l of [...reconnectListeners]) l();
    });
    for (const name of listeners.keys()) attach(source, name);
    return source;
  }

  const attached = new Set<string>();

  function attach(es: EventSourceLike, name: string): void {
    if (attached.has(name)) return;
    attached.add(name);
    es.addEventListener(name, (e) => {
      const set = listeners.get(name);
      if (!set || set.size === 0) return;
      let payload: unknown;
      try {
        payload = JSON.parse(String(e.data));
      } catch {
        return;
      }
      for (const l of [...set]) {
        try {
          l(payload);
        } catch (err) {
          console.error(`listener for ${name} failed`, err);
        }
      }
    });
  }

  return {
    shell: 'web',
    async invoke(method, request) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (token) headers.Authorization = `Bearer ${token}`;
      let res: FetchResponseLike;
      try {
        res = await doFetch(`${base}/api/call/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(request ?? {}),
          cache: 'no-store',
        });
      } catch {
        throw new ApiError(
          'io_error',
          'Holdout is not reachable: the app that served this page has stopped. Start it again and reopen the link it prints.',
        );
      }
      let body: unknown = null;
      try {
        body = await res.json();
      } catch {
        body = null;
      }
      if (body && typeof body === 'object' && 'ok' in body) return body as DispatchResult;
      if (res.status === 401 || res.status === 403) {
        throw new ApiError(
          'forbidden',
          'This page is not allowed to talk to Holdout (its access token is missing or old). Reopen the link Holdout printed.',
        );
      }
      throw new ApiError('internal', `${method}: unexpected answer from Holdout (HTTP ${res.status})`);
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      const es = ensureSource();
      if (es) attach(es, event);
      return () => {
        set.delete(listener);
      };
    },
    mediaUrl(path) {
      return `${base}/media/${path}${tokenQuery}`;
    },
    pathForFile() {
      return '';
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      ensureSource();
      return () => {
        reconnectListeners.delete(listener);
      };
    },
  };
}
