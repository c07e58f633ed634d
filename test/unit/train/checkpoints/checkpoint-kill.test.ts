// A process killed with SIGKILL at random moments while it writes checkpoints: every
// checkpoint folder that exists afterwards is whole and consistent, the leftovers are
// only temporary folders, and cleanTempDirs clears them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanTempDirs, readCheckpoint } from '../../../../electron/engine/train/checkpoints/checkpoint-files.js';
import { repoRoot } from '../../../helpers/run-cli.js';
import { tempDirFactory } from '../../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-ckpt-kill-');
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'write-loop-child.ts');

/** Starts the writer, waits for its first finished checkpoint, then kills it after `delayMs`. */
function killMidWrite(dir: string, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let finished = 0;
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.stdout.on('data', (c: Buffer) => {
      const lines = c.toString().trim().split('\n');
      if (finished === 0) setTimeout(() => proc.kill('SIGKILL'), delayMs);
      finished = Number(lines[lines.length - 1]);
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(finished) : reject(new Error(`writer exited (${code}): ${stderr}`))));
  });
}

async function checkConsistent(file: string): Promise<void> {
  const c = await readCheckpoint(file);
  const seq = (c.state as { seq: number }).seq;
  expect(new Float32Array(c.modelArtifacts.weightData as ArrayBuffer).every((v) => v === seq)).toBe(true);
  expect(c.optimizer!.weights[0]!.data[0]).toBe(seq);
  expect(c.modelArtifacts.modelTopology).toEqual({ seq });
}

describe('checkpoints under SIGKILL', () => {
  it('leaves only whole checkpoints and removable temporary folders', async () => {
    const dir = tempDir();
    let leftovers = 0;
    let written = 0;
    // At least 4 kills, and on until one has landed mid-write (a loaded machine can
    // make the random moments miss the writes a few times in a row).
    for (let round = 0; round < 4 || (leftovers === 0 && round < 20); round++) {
      written += await killMidWrite(dir, Math.floor(Math.random() * 120));
      const entries = fs.readdirSync(dir);
      for (const e of entries) {
        if (e.startsWith('.')) {
          expect(e).toMatch(/^\.(tmp|old)-/);
          leftovers++;
        } else {
          expect(e).toMatch(/^epoch-[012]$/);
          await checkConsistent(path.join(dir, e));
        }
      }
      await cleanTempDirs(dir);
      const after = fs.readdirSync(dir);
      expect(after.filter((e) => e.startsWith('.'))).toEqual([]);
      for (const e of after) await checkConsistent(path.join(dir, e));
    }
    expect(written).toBeGreaterThanOrEqual(4);
    // The kills did land mid-write: otherwise this test would prove nothing.
    expect(leftovers).toBeGreaterThan(0);
  });
});
