// What the user would feel, measured inside the page: a PerformanceObserver for
// 'longtask' (buffered) and a requestAnimationFrame gap sampler, installed before the
// app's own scripts run (an init script goes in through the DevTools protocol, so the
// app's CSP does not apply). Phases are marked by page time, so a long task reported
// late still counts in the phase it started in. Beside it, V8's sampling profiler
// (CDP Profiler) runs for each phase: a stretch of back-to-back busy samples is a task,
// and its heaviest functions say where a long task comes from.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { endTrace, startTrace, type TraceFigures } from './load-trace.js';

/** Page-side sampler. A string: this file is type-checked without the DOM library. */
const INIT_SCRIPT = `(() => {
  const s = { tasks: [], gaps: [], frames: 0, observerError: null };
  window.__holdoutLoad = s;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        s.tasks.push({
          start: e.startTime,
          duration: e.duration,
          attribution: (e.attribution || []).map((a) => [a.name, a.containerType, a.containerName || a.containerSrc || a.containerId].filter(Boolean).join(' ')),
        });
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch (err) {
    s.observerError = String(err);
  }
  let last = null;
  const frame = (t) => {
    if (last !== null && t - last > 50) s.gaps.push({ start: last, gap: t - last });
    last = t;
    s.frames++;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})()`;

interface Task {
  start: number;
  duration: number;
  attribution: string[];
}
interface Gap {
  start: number;
  gap: number;
}
interface Phase {
  name: string;
  from: number;
  to: number | null;
}

/** One busy stretch of the profile and its heaviest functions. */
export interface BusyStretch {
  ms: number;
  top: { fn: string; selfMs: number }[];
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const IDLE = new Set(['(idle)', '(root)']);

function nameOf(node: CpuProfileNode): string {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  if (!url) return functionName || '(anonymous)';
  return `${functionName || '(anonymous)'} ${url.replace(/^https?:\/\/[^/]+/, '')}:${lineNumber + 1}:${columnNumber + 1}`;
}

/**
 * Stretches of the profile where the main thread never went idle for more than
 * `joinMs` (a task, as the user feels it), longer than `minMs`, longest first, each
 * with its five heaviest functions by self time. Also the phase's heaviest functions.
 */
export function busyStretches(profile: CpuProfile, minMs = 50, joinMs = 2): { stretches: BusyStretch[]; topSelf: { fn: string; selfMs: number }[]; busyMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const stretches: BusyStretch[] = [];
  const total = new Map<string, number>();
  let busyMs = 0;
  let current: Map<string, number> | null = null;
  let currentMs = 0;
  let idleRun = 0;
  const close = () => {
    if (current && currentMs >= minMs) {
      const top = [...current.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([fn, ms]) => ({ fn, selfMs: Math.round(ms) }));
      stretches.push({ ms: Math.round(currentMs), top });
    }
    current = null;
    currentMs = 0;
  };
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the sample stands for the time after it.
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]!);
    const name = node ? nameOf(node) : '(unknown)';
    if (IDLE.has(name)) {
      idleRun += dt;
      if (idleRun > joinMs) close();
      continue;
    }
    idleRun = 0;
    busyMs += dt;
    total.set(name, (total.get(name) ?? 0) + dt);
    current ??= new Map();
    current.set(name, (current.get(name) ?? 0) + dt);
    currentMs += dt;
  }
  close();
  stretches.sort((a, b) => b.ms - a.ms);
  const topSelf = [...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([fn, ms]) => ({ fn, selfMs: Math.round(ms) }));
  return { stretches, topSelf, busyMs: Math.round(busyMs) };
}

export interface PhaseFigures {
  seconds: number;
  longest_task_ms: number;
  tasks_over_50ms: number;
  tasks_over_100ms: number;
  longest_frame_gap_ms: number;
  frame_gaps_over_100ms: number;
  /** The longest tasks with the profile's heaviest functions in the longest busy stretches. */
  longest_tasks_ms: number[];
  attribution: string[];
  profile?: { busy_ms: number; longest_busy_stretches: BusyStretch[]; top_self: { fn: string; selfMs: number }[]; file: string };
  /** The performance trace of the phase (or of its first `traceSeconds`): each long task's wall and CPU time and parts. */
  trace?: TraceFigures & { seconds: number };
}

export async function installMonitor(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: INIT_SCRIPT });
}

/** Marks phases in page time, profiles each, and reads the page's figures per phase. */
export class PhaseMonitor {
  readonly #page: Page;
  readonly #outDir: string;
  #cdp: CDPSession | null = null;
  readonly #phases: Phase[] = [];
  readonly #profiles = new Map<string, ReturnType<typeof busyStretches> & { file: string }>();
  readonly #traces = new Map<string, TraceFigures & { seconds: number }>();
  #tracing: Promise<void> | null = null;
  #traceTimer: NodeJS.Timeout | null = null;
  #endTrace: (() => Promise<void>) | null = null;

  constructor(page: Page, outDir: string) {
    this.#page = page;
    this.#outDir = outDir;
  }

  async #now(): Promise<number> {
    return (await this.#page.evaluate('performance.now()')) as number;
  }

  /** Starts phase `name`; its trace stops after `traceSeconds` if given (a long phase's trace would be huge). */
  async begin(name: string, traceSeconds: number | null = null): Promise<void> {
    if (!this.#cdp) {
      this.#cdp = await this.#page.context().newCDPSession(this.#page);
      await this.#cdp.send('Profiler.enable');
      await this.#cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    }
    const cdp = this.#cdp;
    fs.mkdirSync(this.#outDir, { recursive: true });
    await cdp.send('Profiler.start');
    await startTrace(cdp);
    const file = path.join(this.#outDir, `${name}.trace.json`);
    const tracedFrom = performance.now();
    const finishTrace = () => {
      const seconds = Math.round((performance.now() - tracedFrom) / 1000);
      this.#tracing ??= endTrace(cdp, file).then((t) => {
        this.#traces.set(name, { ...t, seconds });
      });
      return this.#tracing;
    };
    if (traceSeconds !== null) this.#traceTimer = setTimeout(() => void finishTrace().catch(() => undefined), traceSeconds * 1000);
    this.#endTrace = finishTrace;
    this.#phases.push({ name, from: await this.#now(), to: null });
  }

  async end(): Promise<void> {
    const phase = this.#phases.at(-1);
    if (!phase || phase.to !== null) throw new Error('no phase to end');
    phase.to = await this.#now();
    if (this.#traceTimer) clearTimeout(this.#traceTimer);
    await this.#endTrace!();
    this.#tracing = null;
    this.#traceTimer = null;
    const { profile } = (await this.#cdp!.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    fs.mkdirSync(this.#outDir, { recursive: true });
    const file = path.join(this.#outDir, `${phase.name}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    this.#profiles.set(phase.name, { ...busyStretches(profile), file });
  }

  /** Every phase's figures, from the page's buffers (read once, at the end). */
  async figures(): Promise<{ observerError: string | null; phases: Record<string, PhaseFigures> }> {
    // Long tasks are delivered after they end: give the last ones a moment to arrive.
    await this.#page.waitForTimeout(500);
    const raw = JSON.parse((await this.#page.evaluate('JSON.stringify(window.__holdoutLoad)')) as string) as {
      tasks: Task[];
      gaps: Gap[];
      observerError: string | null;
    };
    const phases: Record<string, PhaseFigures> = {};
    for (const p of this.#phases) {
      const to = p.to ?? Number.POSITIVE_INFINITY;
      const tasks = raw.tasks.filter((t) => t.start >= p.from && t.start < to).sort((a, b) => b.duration - a.duration);
      const gaps = raw.gaps.filter((g) => g.start >= p.from && g.start < to);
      const prof = this.#profiles.get(p.name);
      phases[p.name] = {
        seconds: Math.round(((p.to ?? p.from) - p.from) / 100) / 10,
        longest_task_ms: Math.round(tasks[0]?.duration ?? 0),
        tasks_over_50ms: tasks.length,
        tasks_over_100ms: tasks.filter((t) => t.duration > 100).length,
        longest_frame_gap_ms: Math.round(Math.max(0, ...gaps.map((g) => g.gap))),
        frame_gaps_over_100ms: gaps.filter((g) => g.gap > 100).length,
        longest_tasks_ms: tasks.slice(0, 10).map((t) => Math.round(t.duration)),
        attribution: [...new Set(tasks.flatMap((t) => t.attribution))],
        ...(this.#traces.has(p.name) && { trace: this.#traces.get(p.name)! }),
        ...(prof && {
          profile: { busy_ms: prof.busyMs, longest_busy_stretches: prof.stretches.slice(0, 5), top_self: prof.topSelf, file: prof.file },
        }),
      };
    }
    return { observerError: raw.observerError, phases };
  }
}
