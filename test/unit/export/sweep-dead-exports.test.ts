// What an export killed midway leaves beside its target: a dead process's staging folder
// is removed, a live process's is not; an earlier export set aside just before the kill
// is put back when the target is missing. Real folders, real process ids.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepDeadExports } from '../../../electron/engine/export/export-folder.js';
import { removeDeadLeftovers } from '../../../electron/engine/util/dead-leftovers.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-sweep-exports-');
const live = process.ppid;
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

function folder(p: string, file = 'model-card.json', text = '{}'): string {
  fs.mkdirSync(p, { recursive: true });
  fs.writeFileSync(path.join(p, file), text);
  return p;
}

describe('sweepDeadExports', () => {
  it('removes a dead process’s staging folders, keeps a live one’s and everything else', () => {
    const parent = tempDir();
    const target = folder(path.join(parent, 'my model'), 'model-card.json', '{"v":1}');
    const dead = deadPid();
    folder(path.join(parent, `.my model.export-${dead}-0a1b2c3d`));
    folder(path.join(parent, `.my model.old-${dead}-0a1b2c3d`));
    folder(path.join(parent, `.my model.export-${live}-11223344`));
    folder(path.join(parent, `.other.export-${dead}-0a1b2c3d`)); // another target's: not ours to judge here
    folder(path.join(parent, 'my model.export-1-00')); // not hidden: the user's own
    const removed = sweepDeadExports(target).map((p) => path.basename(p)).sort();
    expect(removed).toEqual([`.my model.export-${dead}-0a1b2c3d`, `.my model.old-${dead}-0a1b2c3d`]);
    expect(fs.readdirSync(parent).sort()).toEqual([`.my model.export-${live}-11223344`, `.other.export-${dead}-0a1b2c3d`, 'my model', 'my model.export-1-00'].sort());
    expect(fs.readFileSync(path.join(target, 'model-card.json'), 'utf8')).toBe('{"v":1}');
  });

  it('puts an earlier export back when a kill came between moving it aside and moving the new one in', () => {
    const parent = tempDir();
    const target = path.join(parent, 'model');
    const dead = deadPid();
    folder(path.join(parent, `.model.old-${dead}-deadbeef`), 'model-card.json', '{"earlier":true}');
    folder(path.join(parent, `.model.export-${dead}-deadbeef`), 'model-card.json', '{"unfinished":true}');
    sweepDeadExports(target);
    expect(fs.readFileSync(path.join(target, 'model-card.json'), 'utf8')).toBe('{"earlier":true}');
    expect(fs.readdirSync(parent)).toEqual(['model']);
  });

  it('treats a name with regex characters literally', () => {
    const parent = tempDir();
    const dead = deadPid();
    folder(path.join(parent, `.a+b.export-${dead}-00ff`));
    folder(path.join(parent, `.aab.export-${dead}-00ff`));
    sweepDeadExports(path.join(parent, 'a+b'));
    expect(fs.readdirSync(parent)).toEqual([`.aab.export-${dead}-00ff`]);
  });
});

describe('removeDeadLeftovers', () => {
  it('never removes this process’s own, and ignores entries the pattern does not match', () => {
    const parent = tempDir();
    folder(path.join(parent, `holdout-parity-${process.pid}-x`));
    folder(path.join(parent, `holdout-parity-${deadPid()}-y`));
    folder(path.join(parent, 'holdout-parity-notapid-z'));
    expect(removeDeadLeftovers(parent, /^holdout-parity-(\d+)-/)).toHaveLength(1);
    expect(fs.readdirSync(parent).sort()).toEqual([`holdout-parity-${process.pid}-x`, 'holdout-parity-notapid-z']);
  });
});
