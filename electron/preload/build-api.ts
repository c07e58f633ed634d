// Builds window.api (PreloadApi) from the contract. Pure: it takes the two transport
// functions it needs, so the exact surface the page gets is tested without Electron.
// The page never receives ipcRenderer, an IPC event object, or a way to name a channel.
import { eventNames, isEventName, methodNames, type EventName } from '../api/contract.js';
import type { DispatchResult } from '../api/dispatch.js';
import { IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, MEDIA_SCHEME, type PreloadApi } from '../api/window-api.js';

/** The parts of Electron's ipcRenderer used here. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Must equal main's MEDIA_BASE (a test checks it); the protocol handler strips the host. */
export const PRELOAD_MEDIA_BASE = `${MEDIA_SCHEME}://media/`;

type Listener = (payload: unknown) => void;

export function buildPreloadApi(
  ipc: PreloadIpc,
  getPathForFile: (file: object) => string,
  reportError: (message: string, err: unknown) => void = () => {},
): PreloadApi {
  const methods = {} as PreloadApi['methods'];
  for (const name of methodNames) {
    const channel = IPC_CALL_PREFIX + name;
    // One fixed channel per function: the page chooses a method by name, never a channel.
    methods[name] = (request: unknown) => ipc.invoke(channel, request) as Promise<DispatchResult>;
  }

  const listeners = new Map<EventName, Set<Listener>>(eventNames.map((name) => [name, new Set<Listener>()]));
  let subscribed = false;
  // One IPC listener for all events, added on first use; it passes the payload only.
  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    ipc.on(IPC_EVENT_CHANNEL, (_event: unknown, name: unknown, payload: unknown) => {
      if (!isEventName(name)) return;
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          listener(payload);
        } catch (err) {
          // A throwing listener must not keep the event from the others.
          reportError(`listener for ${name} failed`, err);
        }
      }
    });
  }

  function on(event: EventName, listener: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new TypeError(`unknown event ${JSON.stringify(String(event)).slice(0, 100)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    subscribe();
    // Wrapped so subscribing the same function twice gives two independent subscriptions.
    const entry: Listener = (payload) => listener(payload);
    const set = listeners.get(event)!;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  function pathForFile(file: object): string {
    if (typeof file !== 'object' || file === null) return '';
    try {
      return getPathForFile(file);
    } catch {
      return '';
    }
  }

  return Object.freeze({ methods: Object.freeze(methods), on, mediaBase: PRELOAD_MEDIA_BASE, pathForFile });
}
