// Runs a function at most once per interval, however often it is asked to, and always
// once more after the last request (the trailing edge), so the final state is announced.
// The service uses it for `project.changed` while an import streams rows into the
// project: the UI reloads about once a second instead of after every batch.

export interface TrailingThrottle {
  /** Runs the function now if it has not run within the interval, else once when the interval ends. */
  request(): void;
  /** Drops a run that is waiting (the caller announces the end itself). */
  cancel(): void;
}

export function trailingThrottle(run: () => void, intervalMs: number, now: () => number = () => performance.now()): TrailingThrottle {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const fire = () => {
    timer = null;
    last = now();
    run();
  };
  return {
    request() {
      if (timer) return;
      const wait = last + intervalMs - now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
