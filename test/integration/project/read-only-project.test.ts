// A project folder that cannot be written opens read-only: the summary says so, looking
// works, every change is refused with one clear message, and not a byte in the folder
// changes. Tests run as root here, and root ignores permission bits, so the session runs
// in a child process as the unprivileged user "nobody" (uid 65534) when this is root,
// and as this user otherwise: the folder is really read-only to it either way, nothing
// is simulated.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProject } from '../../../electron/engine/project/project.js';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { repoRoot } from '../../helpers/run-cli.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-readonly-');
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const made: string[] = [];
// Give the folders back their write bits so the temp-dir cleanup can remove them.
afterAll(() => made.forEach((d) => fs.chmodSync(d, 0o755)));

function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, p)] = entry.isFile() ? fs.readFileSync(p).toString('base64') : 'dir';
  }
  return out;
}

function session(args: string[]): Promise<Record<string, any>[]> {
  // "nobody" needs a temporary folder and a home it can write, as any user has.
  const home = tempDir('home');
  fs.chmodSync(home, 0o777);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'read-only-session.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, HOME: home, TMPDIR: home },
      ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`session exited ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, any>[]);
    });
  });
}

/** A project with one class, made read-only to the session's user. */
function readOnlyProject(setup?: (dir: string) => void): string {
  const parent = tempDir();
  fs.chmodSync(parent, 0o755); // mkdtemp makes it 0700: let "nobody" reach the project inside
  const dir = path.join(parent, 'Shared');
  const project = createProject(dir, 'Shared');
  project.classes.ensure('cat');
  project.close();
  setup?.(dir);
  for (const d of [dir, path.join(dir, 'thumbs')]) {
    fs.chmodSync(d, 0o555);
    made.push(d);
  }
  fs.chmodSync(path.join(dir, 'holdout.db'), 0o444);
  return dir;
}

describe('a read-only project folder', () => {
  it('opens read-only, shows the project, refuses every change and stays byte-for-byte as it was; an older one is refused', async () => {
    const current = readOnlyProject();
    const older = readOnlyProject((d) => {
      fs.rmSync(path.join(d, 'holdout.db'));
      openDatabase(path.join(d, 'holdout.db'), { targetVersion: 2 }).close();
    });
    const before = [listing(current), listing(older)];
    const [r, old] = await session([current, older]);

    expect(r!.opened).toMatchObject({ ok: true, value: { name: 'Shared', readOnly: true, classCount: 1 } });
    expect(r!.classes.value.classes.map((c: { name: string }) => c.name)).toEqual(['cat']);
    expect(r!.page).toMatchObject({ ok: true, value: { total: 0 } });
    for (const refused of [r!.assign, r!.create, r!.train]) {
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(refused.error.message).toMatch(/this project is read-only .*you can look, not change/);
    }
    // An older schema cannot be upgraded where it lies: refused, with the way out.
    expect(old!.opened).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(old!.opened.error.message).toMatch(/older Holdout and needs an upgrade, but its folder is read-only: copy it/);
    // No lock, no -wal/-shm, no thumbnails, no backups: nothing written in either folder.
    expect([listing(current), listing(older)]).toEqual(before);
  }, 30_000);
});
