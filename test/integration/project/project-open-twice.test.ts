// A project opened twice, across real processes: the second opener (the command line,
// a second app) is refused with the holder named, reading commands still work, the lock
// goes away when its process exits, and a lock left by a killed process is taken over.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { dispatch } from '../../../electron/api/dispatch.js';
import { LOCK_FILE, readProjectLock, type LockApp } from '../../../electron/engine/project/project-lock.js';
import { createProject, openProject } from '../../../electron/engine/project/project.js';
import { createService } from '../../../electron/engine/service/create-service.js';
import { repoRoot } from '../../helpers/run-cli.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-twice-');
// `--import tsx` keeps each child one process (the tsx command would fork another), so
// its pid is the holder's and SIGKILL reaches it.
const tsx = ['--import', 'tsx'];
const fixtures = path.join(import.meta.dirname, 'fixtures');
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

interface Holder {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  exited: Promise<number | null>;
}

/** Starts a second Holdout that opens `dir` for changes and keeps it open. */
async function holdInAnotherProcess(dir: string, app: LockApp): Promise<Holder> {
  const child = spawn(process.execPath, [...tsx, path.join(fixtures, 'hold-project.ts'), dir, app], { cwd: repoRoot });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    void exited.then(() => reject(new Error(`holder exited early: ${stderr}`)));
  });
  const line = JSON.parse(first) as { pid: number; summary: { readOnly: boolean } };
  expect(line.summary.readOnly).toBe(false);
  expect(line.pid).toBe(child.pid);
  return { child, pid: line.pid, exited };
}

function runCliFromSource(args: string[]): Promise<{ code: number | null; last: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...tsx, path.join(fixtures, 'run-cli-source.ts'), ...args], { cwd: repoRoot });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = out.split('\n').filter((l) => l.trim() !== '');
      resolve({ code, last: JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown> });
    });
  });
}

function refusedWith(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected the open to be refused');
}

describe('a project opened by two processes', () => {
  it('refuses the second opener, naming the holder; readers work; the lock goes when the holder exits', async () => {
    const dir = path.join(tempDir(), 'Birds');
    createProject(dir, 'Birds').close();
    const csv = path.join(tempDir(), 'labels.csv');
    fs.writeFileSync(csv, 'path,label\n/nowhere/a.jpg,cat\n');
    const holder = await holdInAnotherProcess(dir, 'desktop');
    const named = new RegExp(`is open in Holdout \\(desktop app, process ${holder.pid} on this computer, since \\d\\d:\\d\\d\\)`);

    // This process, as the command line would open it, and as a second app (the web bridge).
    const direct = refusedWith(() => openProject(dir, { lock: 'cli' }));
    expect(direct.code).toBe('conflict');
    expect(direct.message).toMatch(named);
    const service = createService({ settingsDir: tempDir(), shell: 'web', emit: () => undefined });
    const viaService = await dispatch(service.handlers, 'project.open', { dir });
    expect(viaService).toMatchObject({ ok: false, error: { code: 'conflict', field: 'dir' } });
    expect(!viaService.ok && viaService.error.message).toMatch(named);
    await service.dispose();

    // The real command line: a reading command works beside the holder, a changing one is refused.
    const [info, label] = await Promise.all([
      runCliFromSource(['info', '--project', dir]),
      runCliFromSource(['label', '--project', dir, '--csv', csv, '--create-classes']),
    ]);
    expect(info.code).toBe(0);
    expect(info.last).toMatchObject({ name: 'Birds' });
    expect(label.code).not.toBe(0);
    expect(label.last).toMatchObject({ event: 'error', code: 'conflict' });
    expect(String(label.last.message)).toMatch(named);
    expect(readProjectLock(dir)?.pid).toBe(holder.pid);

    // The holder exits without closing the project: its exit hook still removes the lock.
    holder.child.stdin.write('exit\n');
    expect(await holder.exited).toBe(0);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const mine = openProject(dir, { lock: 'cli' });
    mine.close();
  }, 60_000);

  it('takes over the lock of a holder that was killed', async () => {
    const dir = path.join(tempDir(), 'Moths');
    createProject(dir, 'Moths').close();
    const holder = await holdInAnotherProcess(dir, 'web');
    expect(refusedWith(() => openProject(dir, { lock: 'cli' })).message).toMatch(`browser, via holdout serve, process ${holder.pid}`);
    holder.child.kill('SIGKILL');
    await holder.exited;
    // SIGKILL skips every exit hook: the lock is still there, naming a process that is gone.
    expect(readProjectLock(dir)?.pid).toBe(holder.pid);
    const mine = openProject(dir, { lock: 'desktop' });
    expect(readProjectLock(dir)).toMatchObject({ pid: process.pid, app: 'desktop' });
    mine.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  }, 60_000);
});
