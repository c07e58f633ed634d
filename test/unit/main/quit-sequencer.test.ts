import { describe, expect, it, vi } from 'vitest';
import { createQuitSequencer } from '../../../electron/main/lifecycle/quit-sequencer.js';

function quitEvent() {
  return { prevented: false, preventDefault() { this.prevented = true; } };
}

describe('createQuitSequencer', () => {
  it('holds the first quit, disposes, then quits; the second quit passes', async () => {
    let release!: () => void;
    const dispose = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const quit = vi.fn();
    const seq = createQuitSequencer({ dispose, quit });

    const first = quitEvent();
    seq.onWillQuit(first);
    expect(first.prevented).toBe(true);
    expect(seq.state).toBe('disposing');
    expect(quit).not.toHaveBeenCalled();

    // A quit asked for again while disposing waits too, and does not dispose twice.
    const again = quitEvent();
    seq.onWillQuit(again);
    expect(again.prevented).toBe(true);
    expect(dispose).toHaveBeenCalledTimes(1);

    release();
    await vi.waitFor(() => expect(quit).toHaveBeenCalledTimes(1));
    expect(seq.state).toBe('done');

    const last = quitEvent();
    seq.onWillQuit(last);
    expect(last.prevented).toBe(false);
  });

  it('quits even when dispose fails', async () => {
    const quit = vi.fn();
    const logs: string[] = [];
    const seq = createQuitSequencer({ dispose: () => Promise.reject(new Error('disk gone')), quit, log: (m) => logs.push(m) });
    seq.onWillQuit(quitEvent());
    await vi.waitFor(() => expect(quit).toHaveBeenCalled());
    expect(logs).toEqual(['shutdown failed: disk gone']);
  });

  it('quits when dispose hangs past the timeout', async () => {
    vi.useFakeTimers();
    try {
      const quit = vi.fn();
      const seq = createQuitSequencer({ dispose: () => new Promise<void>(() => {}), quit, timeoutMs: 500 });
      seq.onWillQuit(quitEvent());
      await vi.advanceTimersByTimeAsync(499);
      expect(quit).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(quit).toHaveBeenCalledTimes(1);
      expect(seq.state).toBe('done');
    } finally {
      vi.useRealTimers();
    }
  });
});
