import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debounce, Latest } from '../../../renderer/src/lib/split/latest.js';

describe('Debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs only the last scheduled function, once typing pauses', () => {
    const d = new Debounce(300);
    const calls: string[] = [];
    d.schedule(() => calls.push('a'));
    vi.advanceTimersByTime(200);
    d.schedule(() => calls.push('b'));
    vi.advanceTimersByTime(200);
    expect(calls).toEqual([]);
    expect(d.pending).toBe(true);
    vi.advanceTimersByTime(100);
    expect(calls).toEqual(['b']);
    expect(d.pending).toBe(false);
  });

  it('can be told another delay, and cancelled', () => {
    const d = new Debounce(300);
    const fn = vi.fn();
    d.schedule(fn, 0);
    vi.advanceTimersByTime(0);
    expect(fn).toHaveBeenCalledTimes(1);
    d.schedule(fn);
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('Latest', () => {
  it('lets only the newest answer through, whatever order answers arrive in', async () => {
    const latest = new Latest();
    const shown: string[] = [];
    const answer = (value: string, ms: number) => new Promise<string>((r) => setTimeout(() => r(value), ms));
    const ask = async (value: string, ms: number) => {
      const t = latest.next();
      const v = await answer(value, ms);
      if (latest.isCurrent(t)) shown.push(v);
    };
    await Promise.all([ask('old, slow', 30), ask('new, fast', 5)]);
    expect(shown).toEqual(['new, fast']);
  });

  it('drops every answer on its way once invalidated', () => {
    const latest = new Latest();
    const t = latest.next();
    latest.invalidate();
    expect(latest.isCurrent(t)).toBe(false);
    expect(latest.isCurrent(latest.next())).toBe(true);
  });
});
