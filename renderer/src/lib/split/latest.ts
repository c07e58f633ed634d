// Two small helpers for a live preview: wait until typing pauses (Debounce), and let
// only the newest of several answers in flight through (Latest). Plain TypeScript, no
// Svelte, so they are unit-tested directly.

/** Runs the last scheduled function once nothing new was scheduled for `delayMs`. */
export class Debounce {
  readonly #delayMs: number;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(delayMs: number) {
    this.#delayMs = delayMs;
  }

  get pending(): boolean {
    return this.#timer !== null;
  }

  schedule(fn: () => void, delayMs = this.#delayMs): void {
    this.cancel();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      fn();
    }, delayMs);
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/** Tickets for requests: an answer counts only while its ticket is the newest. */
export class Latest {
  #n = 0;

  /** A ticket for a request about to be sent; older tickets stop counting. */
  next(): number {
    this.#n += 1;
    return this.#n;
  }

  isCurrent(ticket: number): boolean {
    return ticket === this.#n;
  }

  /** No answer on its way counts any more (the request it answers is out of date). */
  invalidate(): void {
    this.#n += 1;
  }
}
