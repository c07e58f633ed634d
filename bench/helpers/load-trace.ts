// A Chromium performance trace (the DevTools "Performance" panel's categories) of one
// phase, read through the DevTools protocol, to say what a long task was: every
// top-level task of the renderer's main thread over 50 ms, with its wall time, its
// CPU time (the thread's own time: on a loaded machine a task can take long only
// because the thread waited for a core) and the trace events that took its time
// (Layout, UpdateLayoutTree, Paint, FunctionCall, GC, Decode Image…), by self time.
import fs from 'node:fs';
import type { CDPSession } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; functionName?: string }; src_func?: string; src_file?: string };
}

export interface TracedTask {
  wall_ms: number;
  cpu_ms: number | null;
  /** Where Chromium posted the task from (the toplevel category), e.g. Blink's garbage collector's sweeper. */
  posted_from?: string;
  /** Where its time went: trace events by self time (ms), heaviest first. */
  parts: [string, number][];
}

export interface TraceFigures {
  tasks_over_50ms: number;
  tasks_over_100ms: number;
  /** Tasks whose CPU time (not wall time) is over 50 / 100 ms. */
  tasks_cpu_over_50ms: number;
  tasks_cpu_over_100ms: number;
  longest_cpu_ms: number;
  longest: TracedTask[];
  /** The tasks with the most CPU time, what the 100 ms target is about on a busy machine. */
  longest_by_cpu: TracedTask[];
  file: string;
}

// blink_gc and v8.gc name the garbage collections: a task whose CPU time nothing else
// accounts for was, so far, a collection of the DOM's (Oilpan) or the JS heap.
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing', 'blink_gc', 'disabled-by-default-v8.gc', 'toplevel'];
const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

export async function startTrace(cdp: CDPSession): Promise<void> {
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: CATEGORIES } });
}

/** Ends the trace, keeps it in `file` (opens in DevTools' Performance panel) and reads it. */
export async function endTrace(cdp: CDPSession, file: string): Promise<TraceFigures> {
  const complete = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  if (!stream) throw new Error('the trace came back without a stream');
  const chunks: string[] = [];
  for (;;) {
    const r = await cdp.send('IO.read', { handle: stream, size: 4 * 1024 * 1024 });
    chunks.push(r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data);
    if (r.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const text = chunks.join('');
  fs.writeFileSync(file, text);
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  return { ...longTasksOf(events), file };
}

function labelOf(e: TraceEvent): string {
  const fn = e.args?.data?.functionName;
  const url = e.args?.data?.url?.replace(/^https?:\/\/[^/]+/, '');
  if (e.name === 'FunctionCall' && (fn || url)) return `FunctionCall ${fn || '(anonymous)'} ${url ?? ''}`.trim();
  if ((e.name === 'ResourceSendRequest' || e.name === 'ResourceFinish') && url) return e.name;
  return e.name;
}

/** The renderer main thread's tasks over 50 ms, and what each was made of. */
export function longTasksOf(events: TraceEvent[]): Omit<TraceFigures, 'file'> {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const none = { tasks_over_50ms: 0, tasks_over_100ms: 0, tasks_cpu_over_50ms: 0, tasks_cpu_over_100ms: 0, longest_cpu_ms: 0, longest: [], longest_by_cpu: [] };
  if (!main) return none;
  const onMain = events.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  // Each task is traced twice: "RunTask" (devtools.timeline) and "ThreadControllerImpl::RunTask"
  // (toplevel, which says where the task was posted from). Count the first, read the second.
  const counted = onMain.some((e) => e.name === 'RunTask') ? 'RunTask' : 'ThreadControllerImpl::RunTask';
  const tasks = onMain.filter((e) => e.name === counted && e.dur! > 50_000);
  const postedFrom = (task: TraceEvent): string | undefined => {
    // Its twin starts with it and lasts as long (tasks that merely start at the same time do not).
    const top = onMain.find((e) => e.name === 'ThreadControllerImpl::RunTask' && Math.abs(e.ts - task.ts) <= 50 && Math.abs(e.dur! - task.dur!) <= 200 && e.args?.src_func);
    return top ? `${top.args!.src_func} (${top.args!.src_file})` : undefined;
  };
  const out: TracedTask[] = [];
  for (const task of tasks) {
    const end = task.ts + task.dur!;
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end && !TASK_NAMES.has(e.name));
    // Self time of each event: its duration less its direct children's (events nest by time).
    const self = new Map<string, number>();
    const stack: { e: TraceEvent; children: number }[] = [];
    const pop = () => {
      const top = stack.pop()!;
      const label = labelOf(top.e);
      self.set(label, (self.get(label) ?? 0) + Math.max(0, top.e.dur! - top.children));
      if (stack.length) stack.at(-1)!.children += top.e.dur!;
    };
    for (const e of inside) {
      while (stack.length && e.ts >= stack.at(-1)!.e.ts + stack.at(-1)!.e.dur!) pop();
      stack.push({ e, children: 0 });
    }
    while (stack.length) pop();
    const covered = [...self.values()].reduce((a, b) => a + b, 0);
    if (task.dur! - covered > 1000) self.set('(task, untraced)', task.dur! - covered);
    const parts = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => [k, Math.round(v / 100) / 10] as [string, number]);
    const from = postedFrom(task);
    out.push({ wall_ms: Math.round(task.dur! / 1000), cpu_ms: typeof task.tdur === 'number' ? Math.round(task.tdur / 1000) : null, ...(from ? { posted_from: from } : {}), parts });
  }
  const cpu = out.map((t) => t.cpu_ms ?? 0);
  return {
    tasks_over_50ms: out.length,
    tasks_over_100ms: out.filter((t) => t.wall_ms > 100).length,
    tasks_cpu_over_50ms: cpu.filter((c) => c > 50).length,
    tasks_cpu_over_100ms: cpu.filter((c) => c > 100).length,
    longest_cpu_ms: Math.max(0, ...cpu),
    longest: [...out].sort((a, b) => b.wall_ms - a.wall_ms).slice(0, 8),
    longest_by_cpu: [...out].sort((a, b) => (b.cpu_ms ?? 0) - (a.cpu_ms ?? 0)).slice(0, 3),
  };
}
