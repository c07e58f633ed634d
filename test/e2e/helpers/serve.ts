// Starts the real `holdout serve` (bin/holdout.js → dist/, built beforehand by
// `npm test` / `npm run build`) on a free port and reads the one JSON line it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

import { repoRoot } from '../../helpers/run-cli.js';

export { repoRoot };

export interface ServeHandle {
  url: string;
  port: number;
  token: string;
  /** The server process's id (what a benchmark samples memory from). */
  pid: number;
  /** Everything the server wrote to stderr, for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  settingsDir: string;
  project?: string;
  timeoutMs?: number;
}

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const args = [path.join(repoRoot, 'bin', 'holdout.js'), 'serve', '--port', '0', '--settings-dir', options.settingsDir];
  if (options.project) args.push('--project', options.project);
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });

  const line = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`holdout serve printed no JSON line within ${options.timeoutMs ?? 30_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (text) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return;
      }
      if (parsed && typeof parsed === 'object' && (parsed as { event?: unknown }).event === 'serve') {
        clearTimeout(timer);
        resolve(parsed as Record<string, unknown>);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`holdout serve exited (code ${code}) before printing its address\n${stderr}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });

  return {
    url: String(line.url),
    port: Number(line.port),
    token: String(line.token),
    pid: child.pid!,
    stderr: () => stderr,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL if it has not exited after a few seconds. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
