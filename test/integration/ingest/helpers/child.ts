// Starts import-child.ts in a separate Node process and reads its JSON lines.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ImportProgress, ImportSummary } from '../../../../electron/api/schemas.js';
import { repoRoot } from '../../../helpers/run-cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ChildImport {
  child: ChildProcess;
  /** Resolves with the summary, or null if the process ended without one (killed). */
  finished: Promise<ImportSummary | null>;
}

export function spawnImport(
  projectDir: string,
  folder: string,
  onProgress: (progress: ImportProgress, child: ChildProcess) => void = () => {},
  options: SpawnOptions = {},
): ChildImport {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'import-child.ts'), projectDir, folder], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let summary: ImportSummary | null = null;
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const msg = JSON.parse(line) as { progress?: ImportProgress; summary?: ImportSummary };
    if (msg.progress) onProgress(msg.progress, child);
    if (msg.summary) summary = msg.summary;
  });
  const finished = new Promise<ImportSummary | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (summary || signal) resolve(summary);
      else reject(new Error(`import child exited with code ${code}: ${stderr}`));
    });
  });
  return { child, finished };
}
