// `holdout predict` as a terminal user runs it (from source, in a fresh Node process):
// one JSON line per image, then the summary; exit 0 when some image was predicted, 1 when
// none could be or the run is bad. Real small model.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/run-cli.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { predictFixture, writeNewImages, type PredictFixture } from './predict-fixture.js';

const tempDir = tempDirFactory('holdout-predict-cli-');
const cliEntry = path.join(import.meta.dirname, 'cli-entry.ts');

function cli(args: string[]): Promise<{ code: number | null; lines: any[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines: out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)), stderr }));
  });
}

describe('holdout predict', () => {
  let fx: PredictFixture;
  let folder: string;
  beforeAll(async () => {
    fx = await predictFixture(tempDir());
    await fx.service.dispose();
    folder = path.join(tempDir(), 'new');
    await writeNewImages(folder);
  }, 60_000);

  it('holdout predict: one line per image, then the summary; exit 1 when nothing could be predicted', async () => {
    const ok = await cli(['predict', '--project', fx.projectDir, '--run', String(fx.runId), folder]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.lines).toHaveLength(5);
    expect(ok.lines[0]).toEqual({ event: 'prediction', path: path.join(folder, 'broken.png'), error: expect.stringMatching(/^not an image/) });
    for (const line of ok.lines.slice(1, 4)) {
      expect(Object.keys(line)).toEqual(['event', 'path', 'predicted', 'confidence', 'probabilities']);
      expect(Object.keys(line.probabilities)).toEqual(['circle', 'square', 'triangle']);
    }
    expect(ok.lines[4]).toMatchObject({ event: 'predict', run_id: fx.runId, model: { kind: 'single', members: 1, model_kind: 'small-cnn' }, images: 4, failed: 1 });
    expect(ok.stderr).toMatch(/1 of 4 images could not be predicted/);

    const [none, badRun] = await Promise.all([
      cli(['predict', '--project', fx.projectDir, '--run', String(fx.runId), path.join(folder, 'broken.png')]),
      cli(['predict', '--project', fx.projectDir, '--run', '77', folder]),
    ]);
    expect(none.code).toBe(1);
    expect(none.lines.at(-1)).toMatchObject({ event: 'predict', images: 1, failed: 1 });
    expect(badRun.code).toBe(1);
    expect(badRun.lines).toEqual([{ event: 'error', code: 'not_found', message: 'run 77 does not exist', field: 'runId' }]);
  }, 60_000);
});
