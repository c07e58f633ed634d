// The real `holdout` command, from source, in a child process; optionally under a file
// size limit (RLIMIT_FSIZE, `ulimit -f`): the fallback when no tmpfs can be mounted,
// where any write past the limit fails with EFBIG (Node ignores SIGXFSZ).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot, type CliResult } from '../../helpers/run-cli.js';

const entry = path.join(import.meta.dirname, 'cli-entry.ts');

export function sourceCli(args: string[], options: { fileSizeLimitKiB?: number } = {}): Promise<CliResult> {
  const node = [process.execPath, '--import', 'tsx', entry, ...args];
  const [cmd, ...argv] =
    options.fileSizeLimitKiB === undefined
      ? node
      : // sh's ulimit -f counts 512-byte blocks.
        ['/bin/sh', '-c', `ulimit -f ${options.fileSizeLimitKiB * 2} && exec "$@"`, 'sh', ...node];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, lines, last: lines[lines.length - 1] ?? {}, stdout, stderr });
    });
  });
}
