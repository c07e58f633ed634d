// The command line's contract for usage errors and `info` (import is covered with the
// ingest tests). stdout must carry only JSON lines; the last is the result or an error.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../../../electron/engine/project/project.js';
import { LATEST_SCHEMA_VERSION } from '../../../electron/engine/store/migrations.js';
import { holdoutBin, repoRoot, runCli } from '../../helpers/run-cli.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-cli-');

describe('holdout command line', () => {
  it('prints usage and exits 2 on unknown commands and bad flags', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.last).toMatchObject({ event: 'error', code: 'usage' });
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const badFlag = await runCli(['info', '--projekt', '/x']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.last.message).toMatch(/projekt/);
    const missing = await runCli(['info']);
    expect(missing.code).toBe(2);
    expect(missing.last.message).toMatch(/--project/);
    const port = await runCli(['serve', '--port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.last.message).toMatch(/--port/);
  });

  it('keeps its exit code and says nothing more when the reader of stdout has gone (| head)', async () => {
    const child = spawn(process.execPath, [holdoutBin, 'info', '--project', path.join(tempDir(), 'missing')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reading end closes before the command writes its line: its write meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    // The command's own outcome (no project there), not a crash.
    expect(code).toBe(1);
    expect(stderr).toMatch(/^holdout: /m);
  });

  it('refuses a device or an oversized file given as a CSV or a configuration, at once, naming the flag', async () => {
    const dir = path.join(tempDir(), 'p');
    createProject(dir, 'Moths').close();
    const csv = await runCli(['label', '--project', dir, '--csv', '/dev/zero']);
    expect(csv.code).toBe(1);
    expect(csv.last).toMatchObject({ event: 'error', code: 'invalid_request', field: 'csv' });
    expect(String(csv.last.message)).toMatch(/not a regular file/);
    const config = await runCli(['train', '--project', dir, '--config', '/dev/zero']);
    expect(config.code).toBe(1);
    expect(config.last).toMatchObject({ event: 'error', code: 'invalid_request', field: 'config' });
  });

  it('info reports counts of a project as one JSON line', async () => {
    const dir = path.join(tempDir(), 'p');
    const p = createProject(dir, 'Moths');
    const moth = p.classes.ensure('moth');
    p.images.insert(
      {
        path: '/a.png',
        pathBytes: Buffer.from('/a.png'),
        relPath: 'a.png',
        sha256: 'b'.repeat(64),
        phash: '0'.repeat(16),
        width: 3,
        height: 4,
        bytes: 5,
        format: 'png',
        capturedAt: null,
        mtimeMs: 0,
        classId: moth,
        group: null,
      },
      null,
    );
    p.close();
    const r = await runCli(['info', '--project', dir]);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(r.last).toEqual({
      event: 'info',
      project: dir,
      name: 'Moths',
      schema_version: LATEST_SCHEMA_VERSION,
      images: 1,
      unlabeled: 0,
      excluded: 0,
      classes: [{ name: 'moth', count: 1 }],
    });
  });

  it('info on a folder that is not a project fails with a message naming it', async () => {
    const dir = tempDir();
    const r = await runCli(['info', '--project', dir]);
    expect(r.code).toBe(1);
    expect(r.last).toMatchObject({ event: 'error', code: 'not_found', field: 'dir' });
    expect(String(r.last.message)).toContain(dir);
  });
});
