// Runs the real `holdout` command (bin/holdout.js → dist/, built by `npm test`) and
// parses its JSON lines.
import { spawn, type SpawnOptions } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const holdoutBin = path.join(repoRoot, 'bin', 'holdout.js');

export interface CliResult {
  code: number | null;
  lines: Record<string, unknown>[];
  last: Record<string, unknown>;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: SpawnOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [holdoutBin, ...args], { cwd: repoRoot, ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            throw new Error(`stdout line is not JSON: ${l}\n--- stderr:\n${stderr}`);
          }
        });
      resolve({ code, lines, last: lines[lines.length - 1] ?? {}, stdout, stderr });
    });
  });
}
