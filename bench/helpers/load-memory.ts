// Memory of the serve process (what the desktop main process runs), read from
// /proc/<pid>/status once a second: RSS (resident), its high-water mark, and the
// thread count. Process-level figures only: the training worker is a thread of the
// same process, so its memory is in the RSS too. Linux only.
import fs from 'node:fs';

export interface MemorySample {
  /** Seconds since sampling started. */
  t: number;
  phase: string;
  rssMb: number;
  hwmMb: number;
  threads: number;
}

function statusField(text: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

export function readMemory(pid: number): { rssMb: number; hwmMb: number; threads: number } {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssMb: statusField(text, 'VmRSS') / 1024, hwmMb: statusField(text, 'VmHWM') / 1024, threads: statusField(text, 'Threads') };
}

/** Samples `pid` every `intervalMs`, each sample tagged with the phase current at the time. */
export function startMemorySampler(pid: number, intervalMs = 1000) {
  const samples: MemorySample[] = [];
  const t0 = performance.now();
  let phase = 'start';
  const take = () => {
    try {
      samples.push({ t: (performance.now() - t0) / 1000, phase, ...readMemory(pid) });
    } catch {
      // The process has exited: nothing more to read.
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    samples,
    setPhase(p: string) {
      phase = p;
      take();
    },
    stop() {
      clearInterval(timer);
      take();
    },
  };
}

/** Least-squares slope of y over x, per unit of x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Peak RSS per phase, and for `phase`: start, peak, end and the slope over its second half (MB per minute). */
export function summarizeMemory(samples: MemorySample[], longPhase: string) {
  const perPhase: Record<string, number> = {};
  for (const s of samples) perPhase[s.phase] = Math.max(perPhase[s.phase] ?? 0, s.rssMb);
  const run = samples.filter((s) => s.phase === longPhase);
  const half = run.slice(Math.floor(run.length / 2));
  return {
    peak_rss_mb_by_phase: Object.fromEntries(Object.entries(perPhase).map(([k, v]) => [k, r1(v)])),
    peak_rss_mb: r1(Math.max(...samples.map((s) => s.rssMb))),
    hwm_mb: r1(Math.max(...samples.map((s) => s.hwmMb))),
    [longPhase]: {
      samples: run.length,
      seconds: run.length ? Math.round(run.at(-1)!.t - run[0]!.t) : 0,
      start_rss_mb: run.length ? r1(run[0]!.rssMb) : null,
      peak_rss_mb: run.length ? r1(Math.max(...run.map((s) => s.rssMb))) : null,
      end_rss_mb: run.length ? r1(run.at(-1)!.rssMb) : null,
      second_half_slope_mb_per_min: r1(slope(half.map((s) => s.t), half.map((s) => s.rssMb)) * 60),
      second_half_min_max_mb: half.length ? [r1(Math.min(...half.map((s) => s.rssMb))), r1(Math.max(...half.map((s) => s.rssMb)))] : null,
      threads_max: run.length ? Math.max(...run.map((s) => s.threads)) : null,
    },
  };
}
