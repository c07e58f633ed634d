// A screen re-reads what it shows when the app says something changed. Changes come in
// bursts (labels fixed on many images, a run's status and then its end), so a re-read waits
// a moment and many requests in a row cause one. The Train, Runs and Evaluate screens share
// it, and stop it together with the event subscriptions that schedule it.
export class DebouncedReload {
  readonly #reload: () => unknown;
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** `reload`: the screen's re-read, run when nothing else asks for one. */
  constructor(reload: () => unknown) {
    this.#reload = reload;
  }

  /** Re-reads after `delay` ms unless asked again first; the newest request's `reload` runs. */
  schedule(delay = 300, reload: () => unknown = this.#reload): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void reload();
    }, delay);
  }

  /** Drops the re-read waiting, if any. */
  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** How a screen stops following the app: these unsubscriptions in order, then the waiting re-read. */
  stopWith(...stops: Array<() => void>): () => void {
    return () => {
      for (const stop of stops) stop();
      this.cancel();
    };
  }
}
