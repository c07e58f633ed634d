// The one gate every IPC call passes before it reaches the API. A message is accepted
// only if it comes from one of the app's own windows, from that window's main frame,
// and that frame shows the app's own origin. So an iframe, a page the window was
// somehow navigated to, or a renderer we did not create cannot call the API.
// Pure: it reads the few fields of Electron's IpcMainInvokeEvent it needs.
import { isAppUrl } from '../security/schemes.js';

/** The parts of Electron's WebFrameMain the gate reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly detached?: boolean;
}

/** The parts of Electron's IpcMainInvokeEvent the gate reads. */
export interface SenderEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

export interface GatePolicy {
  /** True for the webContents ids of windows this app created. */
  isOwnWebContents(id: number): boolean;
}

export type GateResult = { ok: true } | { ok: false; reason: string };

export function checkSender(event: SenderEventLike, policy: GatePolicy): GateResult {
  try {
    if (!policy.isOwnWebContents(event.sender.id)) return { ok: false, reason: 'sender is not an app window' };
    // senderFrame is null once the frame navigated away or was destroyed; such a
    // message's origin cannot be established, so it is dropped.
    const frame = event.senderFrame;
    if (!frame) return { ok: false, reason: 'sender frame is gone' };
    if (frame.detached === true) return { ok: false, reason: 'sender frame is detached' };
    if (frame.parent !== null) return { ok: false, reason: 'sender is a sub-frame' };
    if (!isAppUrl(frame.url)) return { ok: false, reason: 'sender is not on the app origin' };
    return { ok: true };
  } catch {
    // Reading a destroyed frame's properties can throw; that is a rejection too.
    return { ok: false, reason: 'sender could not be inspected' };
  }
}
