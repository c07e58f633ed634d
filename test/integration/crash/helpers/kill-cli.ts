// Runs the real `holdout` command (bin/holdout.js → dist/) in a child process and
// SIGKILLs it after a given delay: the harness's one way of making a crash. The child
// leads its own process group and the whole group is killed, as a power cut or an OOM
// kill would: the export's parity check is a grandchild process that must die with it
// (training and import workers are threads and die with the process anyway).
// HOLDOUT_CRASH_BIN runs another build of the command instead (a copy with a protection
// removed, made by mutants/make-mutant.ts), to show that the checks catch its absence.
import { spawn } from 'node:child_process';
import { readProjectLock } from '../../../../electron/engine/project/project-lock.js';
import { holdoutBin, repoRoot } from '../../../helpers/run-cli.js';

/** The command under test: the checkout's build, or the copy HOLDOUT_CRASH_BIN names. */
export const crashBin = process.env.HOLDOUT_CRASH_BIN || holdoutBin;

export type LinePredicate = (line: Record<string, unknown>) => boolean;

/** Where the delay is counted from: the start (default), a line, or the moment the command holds the project's lock. */
export interface KillFrom {
  line?: LinePredicate;
  /** The project folder whose holdout.lock is watched for this process's pid. */
  lockIn?: string;
}

export interface KilledRun {
  /** Whether the SIGKILL landed while the command ran (false: it ended first). */
  killed: boolean;
  /** Exit code when it ended by itself; null when killed. */
  code: number | null;
  /** Every complete JSON line it printed before it ended or died. */
  lines: Record<string, unknown>[];
  /** When each line arrived, ms after the start (same order as lines). */
  lineMs: number[];
  /** When the lock file first named this process (with `lockIn`), ms after the start. */
  lockMs: number | null;
  /** The process id: its lock file (if it left one) names it. */
  pid: number;
  /** How long it ran, in ms. */
  ms: number;
  stderr: string;
}

/**
 * Starts `holdout <args>` and kills it `delayMs` after the start, or after the moment
 * `from` names (so a kill can be placed after a given amount of progress). Resolves once
 * the process is gone and reaped, so its pid no longer counts as alive for the
 * stale-lock check. An infinite delay runs it to its end (to measure it).
 */
export function runAndKill(args: string[], delayMs: number, from: KillFrom = {}): Promise<KilledRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [crashBin, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const pid = child.pid!;
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    let armed = false;
    let sent = false;
    let lockMs: number | null = null;
    const arm = () => {
      if (armed) return;
      armed = true;
      if (!Number.isFinite(delayMs)) return; // measuring: never kill
      timer = setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        sent = true;
        // The group (negative pid): the command and anything it started.
        process.kill(-pid, 'SIGKILL');
      }, delayMs);
    };
    if (!from.line && !from.lockIn) arm();
    // The lock file is polled: its appearance is the moment the command starts changing the project.
    const poll = from.lockIn
      ? setInterval(() => {
          if (lockMs === null && readProjectLock(from.lockIn!)?.pid === pid) {
            lockMs = performance.now() - started;
            clearInterval(poll);
            arm();
          }
        }, 2)
      : undefined;
    const lineMs: number[] = [];
    let consumed = 0; // stdout up to here has been split into lines
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const end = stdout.lastIndexOf('\n') + 1;
      for (const l of stdout.slice(consumed, end).split('\n')) {
        if (l.trim() === '') continue;
        lineMs.push(performance.now() - started);
        if (from.line?.(parseLine(l))) arm();
      }
      consumed = Math.max(consumed, end);
    });
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      // Only lines that were printed whole count: a half line was never read by anyone.
      const whole = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
      const lines = whole.split('\n').filter((l) => l.trim() !== '').map(parseLine);
      resolve({ killed: sent && signal === 'SIGKILL', code, lines, lineMs: lineMs.slice(0, lines.length), lockMs, pid, ms: performance.now() - started, stderr });
    });
  });
}

function parseLine(l: string): Record<string, unknown> {
  try {
    return JSON.parse(l) as Record<string, unknown>;
  } catch {
    throw new Error(`stdout line is not JSON: ${l}`);
  }
}

/** Runs a command to its end (no kill), like run-cli.ts's runCli but through crashBin. */
export async function runToEnd(args: string[]): Promise<KilledRun & { last: Record<string, unknown> }> {
  const r = await runAndKill(args, Infinity);
  return { ...r, last: r.lines.at(-1) ?? {} };
}
