// The re-read the Train, Runs and Evaluate screens schedule on the app's events: a burst
// of requests causes one re-read, the newest request decides when and what, and stopping a
// screen ends its subscriptions and drops a waiting re-read.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DebouncedReload } from '../../../renderer/src/lib/state/debounced-reload.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DebouncedReload', () => {
  it('re-reads once for a burst, 300 ms after the last request by default', () => {
    const reload = vi.fn();
    const reloads = new DebouncedReload(reload);
    reloads.schedule();
    vi.advanceTimersByTime(200);
    reloads.schedule();
    vi.advanceTimersByTime(299);
    expect(reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(reload).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('lets the newest request set the delay and the re-read', () => {
    const usual = vi.fn();
    const newest = vi.fn();
    const reloads = new DebouncedReload(usual);
    reloads.schedule(1000);
    reloads.schedule(0, newest);
    vi.advanceTimersByTime(0);
    expect(newest).toHaveBeenCalledTimes(1);
    expect(usual).not.toHaveBeenCalled();
    // Once run, it is forgotten: the next request takes the usual re-read again.
    reloads.schedule(10);
    vi.advanceTimersByTime(10);
    expect(usual).toHaveBeenCalledTimes(1);
    expect(newest).toHaveBeenCalledTimes(1);
  });

  it('stops the subscriptions in order, then drops a waiting re-read', () => {
    const reload = vi.fn();
    const reloads = new DebouncedReload(reload);
    const stopped: string[] = [];
    const stop = reloads.stopWith(
      () => stopped.push('progress'),
      () => stopped.push('changed'),
      () => stopped.push('reconnect'),
    );
    reloads.schedule();
    stop();
    expect(stopped).toEqual(['progress', 'changed', 'reconnect']);
    vi.advanceTimersByTime(10_000);
    expect(reload).not.toHaveBeenCalled();
  });

  it('cancel() drops a waiting re-read and a later request still runs', () => {
    const reload = vi.fn();
    const reloads = new DebouncedReload(reload);
    reloads.schedule(50);
    reloads.cancel();
    vi.advanceTimersByTime(100);
    expect(reload).not.toHaveBeenCalled();
    reloads.schedule(50);
    vi.advanceTimersByTime(50);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
