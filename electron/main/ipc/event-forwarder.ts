// Turns the service's EventSink into webContents.send(IPC_EVENT_CHANNEL, name, payload)
// to each of the app's windows. A window that is gone, or that no longer shows the app
// (it should never, navigation is refused), is skipped rather than told.
import type { EventSink } from '../../api/contract.js';
import { IPC_EVENT_CHANNEL } from '../../api/window-api.js';
import { isAppUrl } from '../security/schemes.js';

/** The parts of Electron's WebContents used here. */
export interface EventTargetLike {
  isDestroyed(): boolean;
  getURL(): string;
  send(channel: string, ...args: unknown[]): void;
}

export function createEventForwarder(
  targets: () => Iterable<EventTargetLike>,
  log: (message: string) => void = () => {},
): EventSink {
  return (event, payload) => {
    for (const target of targets()) {
      try {
        if (target.isDestroyed() || !isAppUrl(target.getURL())) continue;
        target.send(IPC_EVENT_CHANNEL, event, payload);
      } catch (err) {
        // One window failing (closing mid-send, an uncloneable payload) must not stop
        // the others, nor throw back into the engine that emitted the event.
        log(`event ${event} not delivered: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
}
