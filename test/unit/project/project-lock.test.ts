// The project lock: one process opens a project for changes; a second is refused with
// the holder named; a lock left by a dead process is taken over; one from another
// computer is honoured with a way out; readers need no lock.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/api/dispatch.js';
import { ApiError } from '../../../electron/api/errors.js';
import { acquireProjectLock, LOCK_FILE, readProjectLock } from '../../../electron/engine/project/project-lock.js';
import { createProject, openProject } from '../../../electron/engine/project/project.js';
import { createService } from '../../../electron/engine/service/create-service.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-lock-');

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected a refusal');
}

/** The pid of a process that has just ended: real, and certainly not alive. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('project lock', () => {
  it('is taken atomically and refuses a second opener, naming the holder', () => {
    const dir = tempDir();
    const lock = acquireProjectLock(dir, 'desktop');
    const onDisk = readProjectLock(dir);
    expect(onDisk).toMatchObject({ pid: process.pid, host: os.hostname(), app: 'desktop' });
    expect(Date.now() - Date.parse(onDisk!.since)).toBeLessThan(60_000);
    const e = refusal(() => acquireProjectLock(dir, 'cli'));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(new RegExp(`is open in Holdout \\(desktop app, process ${process.pid} on this computer, since \\d\\d:\\d\\d\\)`));
    lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    acquireProjectLock(dir, 'cli').release();
  });

  it('takes over a lock whose process is gone, and only then', () => {
    const dir = tempDir();
    const stale = { pid: deadPid(), host: os.hostname(), app: 'cli', since: '2026-01-01T10:00:00.000Z', token: 'old' };
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(stale));
    const lock = acquireProjectLock(dir, 'web');
    expect(readProjectLock(dir)).toMatchObject({ pid: process.pid, app: 'web' });
    lock.release();
    // The same file with a live pid (ours stands in for another live process) is honoured.
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ ...stale, pid: process.pid }));
    expect(refusal(() => acquireProjectLock(dir, 'web')).message).toMatch(/command line, process \d+ on this computer, since 2026-01-01/);
  });

  it('honours a lock from another computer and says how to clear it', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: 'studio-mac', app: 'desktop', since: new Date().toISOString(), token: 't' }));
    const e = refusal(() => acquireProjectLock(dir, 'cli'));
    expect(e.message).toMatch(/on the computer "studio-mac"/);
    expect(e.message).toContain(`delete ${path.join(dir, LOCK_FILE)}`);
  });

  it('release never removes a lock that another holder has since taken', () => {
    const dir = tempDir();
    const mine = acquireProjectLock(dir, 'cli');
    const other = { pid: process.pid, host: os.hostname(), app: 'desktop', since: new Date().toISOString(), token: 'theirs' };
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(other));
    mine.release();
    expect(readProjectLock(dir)?.token).toBe('theirs');
  });

  it('is held by a project opened for changes, released on close; readers open beside it', () => {
    const dir = path.join(tempDir(), 'p');
    const writer = createProject(dir, 'p', { lock: 'desktop' });
    expect(readProjectLock(dir)?.app).toBe('desktop');
    const e = refusal(() => openProject(dir, { lock: 'cli' }));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/desktop app, process \d+ on this computer/);
    // An import the holder is running must not be judged interrupted by a reader.
    const importId = writer.imports.start('folder', '/photos');
    const reader = openProject(dir, { reading: true });
    expect(reader.summary()).toMatchObject({ name: 'p', readOnly: false });
    reader.close();
    expect(writer.db.prepare('SELECT status FROM imports WHERE id = ?').pluck().get(importId)).toBe('running');
    expect(readProjectLock(dir)?.app).toBe('desktop');
    writer.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const again = openProject(dir, { lock: 'cli' });
    expect(readProjectLock(dir)?.app).toBe('cli');
    again.close();
  });
});

describe('project lock in the service', () => {
  it('two services in one process: the second is refused; the holder can reopen; dispose releases', async () => {
    const dir = path.join(tempDir(), 'Ants');
    createProject(dir, 'Ants').close();
    const app = createService({ settingsDir: tempDir(), shell: 'electron', emit: () => undefined });
    const bridge = createService({ settingsDir: tempDir(), shell: 'web', emit: () => undefined });
    expect(await dispatch(app.handlers, 'project.open', { dir })).toMatchObject({ ok: true, value: { readOnly: false } });
    const second = await dispatch(bridge.handlers, 'project.open', { dir });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!second.ok && second.error.message).toMatch(`desktop app, process ${process.pid} on this computer`);
    // Opening the open project again (the recent list, a second click) is not a conflict with itself.
    expect(await dispatch(app.handlers, 'project.open', { dir })).toMatchObject({ ok: true });
    expect(() => app.openProjectDir(dir)).not.toThrow();
    await app.dispose();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    expect(await dispatch(bridge.handlers, 'project.open', { dir })).toMatchObject({ ok: true });
    expect(readProjectLock(dir)?.app).toBe('web');
    await bridge.dispose();
  });
});
