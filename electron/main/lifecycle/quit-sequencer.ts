// Quitting waits for the service to shut down (close the project's database, stop an
// import) before the process exits. Electron's will-quit cannot await, so the first
// will-quit is cancelled, dispose runs, and quit is asked for again; the second
// will-quit passes. A dispose that hangs is cut off so the app can always quit.
export interface QuitSequencerOptions {
  dispose(): Promise<void>;
  /** app.quit */
  quit(): void;
  /** Longest wait for dispose before quitting anyway. */
  timeoutMs?: number;
  log?(message: string): void;
}

export type QuitState = 'running' | 'disposing' | 'done';

export interface QuitSequencer {
  /** The will-quit listener. */
  onWillQuit(event: { preventDefault(): void }): void;
  readonly state: QuitState;
}

export function createQuitSequencer(options: QuitSequencerOptions): QuitSequencer {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const log = options.log ?? (() => {});
  let state: QuitState = 'running';

  async function disposeThenQuit(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([options.dispose().then(() => 'done' as const), timeout]);
      if (outcome === 'timeout') log(`shutdown took longer than ${timeoutMs} ms; quitting anyway`);
    } catch (err) {
      log(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
      state = 'done';
      options.quit();
    }
  }

  return {
    get state() {
      return state;
    },
    onWillQuit(event) {
      if (state === 'done') return;
      event.preventDefault();
      if (state === 'disposing') return;
      state = 'disposing';
      void disposeThenQuit();
    },
  };
}
