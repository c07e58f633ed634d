// Long background work (an import's decoding, training) runs at a lower CPU priority than
// the window, so on a laptop with two cores the interface still gets a core the moment it
// needs one. Measured in the load bench (100,000 images imported from the UI, 2 cores,
// browser and server in one scheduling group as the desktop app's processes are): the
// page's main-thread tasks over 100 ms (wall clock) fell from 23 to 1, for an import 14 %
// slower while the UI was busy. A lower priority costs nothing when the machine is
// otherwise idle: the work still gets every core nobody else wants. (Where Linux's
// autogroup schedules the browser apart, the kernel shares the cores between the two
// already, and the value changed nothing measurable.)
//
// Linux only, per thread: there a nice value belongs to a thread, and setpriority() on a
// thread id (or on 0, the calling thread) changes that thread alone, and threads it starts
// later inherit it. On macOS and Windows the same call would change the WHOLE process,
// the main process that answers the window included, so it is left alone there (a
// dedicated child process is lowered as a whole instead: lowerProcess).
//
// An unprivileged process can lower a priority but not raise it back: only threads that
// do nothing but background work are lowered, never the main thread.
import fs from 'node:fs';
import os from 'node:os';

/** The nice value of background work: below normal (0), above idle (19). */
export const BACKGROUND_NICE = 10;

function onLinux(): boolean {
  return process.platform === 'linux';
}

export const BACKGROUND_NICE_ENV = 'HOLDOUT_BACKGROUND_NICE';
let warned = false;

/**
 * HOLDOUT_BACKGROUND_NICE=N (0–19) sets the value; 0 keeps background work at normal
 * priority (a benchmark's baseline). A wrong value is said once on stderr and the default
 * used: a priority is a courtesy, never a reason to refuse an import or a run.
 */
function niceWanted(): number {
  const raw = process.env[BACKGROUND_NICE_ENV];
  if (raw === undefined || raw === '') return BACKGROUND_NICE;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 0 && n <= 19) return n;
  if (!warned) {
    warned = true;
    process.stderr.write(`holdout: ${BACKGROUND_NICE_ENV} must be a whole number from 0 to 19, got "${raw}"; using ${BACKGROUND_NICE}\n`);
  }
  return BACKGROUND_NICE;
}

function lower(tid: number, nice: number): boolean {
  try {
    // Never raise: a thread already lower (a user's `nice`) stays where it is.
    if (os.getPriority(tid) >= nice) return false;
    os.setPriority(tid, nice);
    return true;
  } catch {
    // The thread ended meanwhile, or the system refused: priority is a courtesy, not a requirement.
    return false;
  }
}

/**
 * Lowers the calling thread (a worker thread, or the main thread of a process that only
 * does background work), and with it every thread it starts from now on. Linux only.
 */
export function lowerThisThread(): boolean {
  if (!onLinux()) return false;
  const nice = niceWanted();
  return nice > 0 && lower(0, nice);
}

/** libuv names its thread pool's threads "libuv-worker" from 1.50 on (Node 22.14+). */
function uvNamesItsThreads(): boolean {
  const [major = 0, minor = 0] = process.versions.uv.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 50);
}

function threadName(tid: string): string | null {
  try {
    return fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * The names of the threads that do an import's or a training's native work besides our
 * own worker threads: libvips's helpers, and libuv's thread pool, where sharp decodes and
 * encodes (measured: ~30 % of an import's CPU time on each). libuv names its threads from
 * 1.50 on; before that (Node 20) they carry the process's name, like V8's helper threads.
 * In plain Node (the command line and `holdout serve`, whose threads but the main one are
 * all helpers) that name is included; in Electron's main process, whose other threads are
 * Chromium's (the one that carries messages to the window among them), only named ones are.
 */
export function backgroundHelperNames(): string[] {
  const names = ['libvips worker', 'libuv-worker'];
  if (onLinux() && !uvNamesItsThreads() && !process.versions.electron) {
    const main = threadName(String(process.pid));
    if (main) names.push(main);
  }
  return names;
}

/**
 * Lowers the threads of this process whose name (/proc/self/task/<tid>/comm) is one of
 * `names` (see backgroundHelperNames), never the main thread: it answers the window and
 * commits what the workers produce. Call it as often as new threads may have appeared: a
 * thread looked at once is not read again (a directory listing per call, ~40 entries).
 * Linux only.
 */
export class NamedThreadLowerer {
  readonly #names: readonly string[];
  readonly #seen = new Set<string>();

  constructor(names: readonly string[]) {
    this.#names = names;
  }

  /** How many threads this call lowered. */
  lowerNew(): number {
    if (!onLinux()) return 0;
    const nice = niceWanted();
    if (nice === 0) return 0;
    let tids: string[];
    try {
      tids = fs.readdirSync('/proc/self/task');
    } catch {
      return 0;
    }
    let lowered = 0;
    const main = String(process.pid);
    for (const tid of tids) {
      if (tid === main || this.#seen.has(tid)) continue;
      this.#seen.add(tid);
      const name = threadName(tid);
      if (name !== null && this.#names.includes(name) && lower(Number(tid), nice)) lowered += 1;
    }
    return lowered;
  }
}

/**
 * Lowers a child process that does only background work: the whole process on macOS and
 * Windows; on Linux its main thread, and every thread that thread starts afterwards.
 */
export function lowerProcess(pid: number): boolean {
  const nice = niceWanted();
  return nice > 0 && lower(pid, nice);
}
