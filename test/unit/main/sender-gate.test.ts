import { describe, expect, it } from 'vitest';
import { checkSender, type FrameLike, type SenderEventLike } from '../../../electron/main/ipc/sender-gate.js';

const OWN_ID = 7;
const policy = { isOwnWebContents: (id: number) => id === OWN_ID };
const mainFrame = (url: string): FrameLike => ({ url, parent: null });
const event = (frame: FrameLike | null, senderId = OWN_ID): SenderEventLike => ({ sender: { id: senderId }, senderFrame: frame });

describe('checkSender', () => {
  it("accepts the main frame of an app window on the app's origin", () => {
    expect(checkSender(event(mainFrame('app://holdout/index.html')), policy)).toEqual({ ok: true });
    expect(checkSender(event(mainFrame('app://holdout/#/label')), policy)).toEqual({ ok: true });
  });

  it('rejects a webContents the app did not create', () => {
    const verdict = checkSender(event(mainFrame('app://holdout/index.html'), 99), policy);
    expect(verdict).toEqual({ ok: false, reason: 'sender is not an app window' });
  });

  it('rejects a missing or detached frame', () => {
    expect(checkSender(event(null), policy).ok).toBe(false);
    expect(checkSender(event({ url: 'app://holdout/index.html', parent: null, detached: true }), policy).ok).toBe(false);
  });

  it('rejects a sub-frame, even one on the app origin', () => {
    const top = mainFrame('app://holdout/index.html');
    const verdict = checkSender(event({ url: 'app://holdout/index.html', parent: top }), policy);
    expect(verdict).toEqual({ ok: false, reason: 'sender is a sub-frame' });
  });

  it('rejects a main frame on any other origin', () => {
    for (const url of [
      'https://evil.example/',
      'file:///home/user/index.html',
      'app://evil/index.html',
      'app://holdout.evil/index.html',
      'holdout-media://media/thumb/x',
      'about:blank',
      'data:text/html,x',
      '',
    ]) {
      expect(checkSender(event(mainFrame(url)), policy), url).toEqual({ ok: false, reason: 'sender is not on the app origin' });
    }
  });

  it('rejects, rather than throws, when the frame cannot be read', () => {
    const exploding = {
      sender: { id: OWN_ID },
      get senderFrame(): FrameLike {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(checkSender(exploding, policy)).toEqual({ ok: false, reason: 'sender could not be inspected' });
  });
});
