// What the preload exposes on window.api inside the desktop app. Derived from the
// contract: one function per method (never the raw ipcRenderer), an event subscription
// that accepts only the contract's event names, and where media (thumbnails, originals)
// are served from.
import type { EventName, MethodName } from './contract.js';
import type { DispatchResult } from './dispatch.js';

export interface PreloadApi {
  methods: { [M in MethodName]: (request: unknown) => Promise<DispatchResult> };
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  /** Prefix of media URLs: `${mediaBase}thumb/<sha256>` and `${mediaBase}image/<id>`. */
  mediaBase: string;
  /** The filesystem path of a file or folder dropped on the window ('' if none). */
  pathForFile(file: object): string;
}

/** IPC channel names, shared by preload and main. */
export const IPC_CALL_PREFIX = 'api:';
export const IPC_EVENT_CHANNEL = 'api:event';
export const MEDIA_SCHEME = 'holdout-media';
