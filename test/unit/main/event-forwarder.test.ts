import { describe, expect, it } from 'vitest';
import { createEventForwarder, type EventTargetLike } from '../../../electron/main/ipc/event-forwarder.js';

// Stand-ins for the webContents of the app's windows.
function target(url = 'app://holdout/index.html', destroyed = false) {
  const sent: unknown[][] = [];
  const t: EventTargetLike & { sent: unknown[][] } = {
    sent,
    isDestroyed: () => destroyed,
    getURL: () => url,
    send: (...args: unknown[]) => void sent.push(args),
  };
  return t;
}

describe('createEventForwarder', () => {
  it("sends (name, payload) on 'api:event' to every live app window", () => {
    const a = target();
    const b = target();
    createEventForwarder(() => [a, b])('project.changed', { reason: 'import' });
    expect(a.sent).toEqual([['api:event', 'project.changed', { reason: 'import' }]]);
    expect(b.sent).toEqual(a.sent);
  });

  it('skips destroyed windows and windows not showing the app', () => {
    const gone = target('app://holdout/index.html', true);
    const elsewhere = target('https://evil.example/');
    createEventForwarder(() => [gone, elsewhere])('project.changed', { reason: 'x' });
    expect(gone.sent).toEqual([]);
    expect(elsewhere.sent).toEqual([]);
  });

  it('keeps delivering when one window throws, and never throws itself', () => {
    const broken: EventTargetLike = {
      isDestroyed: () => false,
      getURL: () => 'app://holdout/index.html',
      send: () => {
        throw new Error('An object could not be cloned.');
      },
    };
    const ok = target();
    const logs: string[] = [];
    const sink = createEventForwarder(() => [broken, ok], (m) => logs.push(m));
    expect(() => sink('project.changed', { reason: 'x' })).not.toThrow();
    expect(ok.sent).toHaveLength(1);
    expect(logs[0]).toContain('An object could not be cloned.');
  });

  it('reads the window list at each event, so later windows are included', () => {
    const windows: EventTargetLike[] = [];
    const sink = createEventForwarder(() => windows);
    const late = target();
    windows.push(late);
    sink('project.changed', { reason: 'opened' });
    expect(late.sent).toHaveLength(1);
  });
});
