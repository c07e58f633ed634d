// Progress for people: a rate over the last few seconds (not since the start, so it
// follows a change from small files to large ones), an ETA from that rate, and at
// most a few updates per second so the UI and the IPC channel are not flooded.
import type { ImportProgress } from '../../api/schemas.js';

export type ProgressCounts = Omit<ImportProgress, 'importId' | 'rate' | 'etaSeconds'>;

export interface ProgressMeterOptions {
  /** Minimum time between two updates, in ms (default 250: four a second). */
  intervalMs?: number;
  /** Length of the window the rate is measured over, in ms (default 5000). */
  windowMs?: number;
  now?: () => number;
}

export class ProgressMeter {
  private readonly samples: { t: number; done: number }[] = [];
  private lastEmit = -Infinity;
  private readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private latest: ImportProgress | null = null;
  private phase: ProgressCounts['phase'] | null = null;
  private startDone = 0;

  constructor(
    private readonly importId: number,
    private readonly emit: ((progress: ImportProgress) => void) | undefined,
    options: ProgressMeterOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 250;
    this.windowMs = options.windowMs ?? 5000;
    this.now = options.now ?? (() => performance.now());
  }

  /** The most recent progress, emitted or not (for "what is running now?"). */
  get current(): ImportProgress | null {
    return this.latest;
  }

  /** Records the counts; emits if the last update is old enough or `force` is set. */
  update(counts: ProgressCounts, force = false): void {
    const t = this.now();
    if (counts.phase !== this.phase) {
      // The rate is about processing: measured from its first finished file, so the
      // workers' start-up does not make the first ETA absurd.
      if (counts.phase === 'processing') {
        this.samples.length = 0;
        this.startDone = counts.done;
      }
      this.phase = counts.phase;
    }
    const last = this.samples[this.samples.length - 1];
    if (counts.done !== this.startDone && (!last || last.done !== counts.done || t - last.t > this.intervalMs)) {
      this.samples.push({ t, done: counts.done });
    }
    // Keep one sample older than the window so the rate always spans a full window.
    while (this.samples.length > 2 && t - this.samples[1]!.t > this.windowMs) this.samples.shift();
    this.latest = { importId: this.importId, ...counts, ...this.rate(t, counts) };
    if (!force && t - this.lastEmit < this.intervalMs) return;
    this.lastEmit = t;
    try {
      this.emit?.(this.latest);
    } catch (err) {
      // A listener's bug must not stop the import; it is reported, not swallowed.
      process.emitWarning(`import progress listener failed: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  private rate(t: number, counts: ProgressCounts): { rate: number; etaSeconds: number | null } {
    const first = this.samples[0];
    const seconds = first ? (t - first.t) / 1000 : 0;
    // Below half a second the rate is mostly start-up noise.
    if (!first || seconds < 0.5) return { rate: 0, etaSeconds: null };
    const rate = (counts.done - first.done) / seconds;
    const left = Math.max(0, counts.total - counts.done);
    return {
      rate: Math.round(rate * 10) / 10,
      etaSeconds: rate > 0 ? Math.round(left / rate) : left === 0 ? 0 : null,
    };
  }
}
