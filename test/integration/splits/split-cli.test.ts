// `holdout split` and `holdout leakage` as a user runs them: one JSON line with the
// version, counts, achieved shares, leakage and warnings; bad input exits non-zero with
// a message naming the flag. Runs the built command (bin/holdout.js → dist/).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { flipBits, hashFrom } from '../../unit/splits/make-images.js';
import { labeled, seededProject, type Row } from './seed-project.js';

const tempDir = tempDirFactory('holdout-split-cli-');

function project(rows: Row[]): string {
  const dir = path.join(tempDir(), 'p');
  seededProject(dir, rows).close();
  return dir;
}

/** 100 labeled images in 2 classes, 10 session folders, 15 planted pairs of near copies, 1 unlabeled, 1 excluded. */
function fixture(): string {
  const rows: Row[] = labeled(100, ['moth', 'beetle'], (i) => ({ group: i < 40 ? `session${i % 10}` : null }));
  for (let k = 0; k < 15; k++) {
    const h = hashFrom(5000 + k);
    rows.push({ className: 'moth', phash: h }, { className: 'moth', phash: flipBits(h, 2) });
  }
  rows.push({ className: null }, { className: 'beetle', excluded: true });
  return project(rows);
}

describe('holdout split', () => {
  it('saves a split and prints one JSON line with counts, shares, leakage and warnings', async () => {
    const dir = fixture();
    const r = await runCli(['split', '--project', dir, '--ratios', '70,15,15', '--seed', '7']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toHaveLength(1);
    const line = r.last as any;
    expect(line).toMatchObject({
      event: 'split',
      version: 1,
      seed: 7,
      ratios: { train: 70, validation: 15, test: 15 },
      group_by: [],
      unlabeled_skipped: 1,
      excluded_skipped: 1,
    });
    expect(line.counts.train + line.counts.validation + line.counts.test).toBe(130);
    expect(line.per_class.map((c: any) => c.class)).toEqual(['moth', 'beetle']);
    expect(line.per_class[0]).toEqual({ class: 'moth', train: expect.any(Number), validation: expect.any(Number), test: expect.any(Number), achieved: expect.any(Object) });
    expect(line.achieved.train + line.achieved.validation + line.achieved.test).toBeCloseTo(100, 1);
    // Without grouping, planted near copies and session folders end up across splits.
    expect(line.leakage.near_duplicate_pairs).toBeGreaterThan(0);
    expect(line.leakage.pairs[0]).toMatchObject({ a: { path: expect.stringMatching(/^\/photos\//), class: 'moth' }, distance: expect.any(Number) });
    expect(line.leakage.pairs[0].a.split).not.toBe(line.leakage.pairs[0].b.split);
    expect(line.leakage.groups_crossing).toBeGreaterThan(0);
    expect(line.warnings.join('\n')).toMatch(/near-duplicate images sit in different splits/);
    expect(line.warnings.join('\n')).toMatch(/have images in more than one split/);

    const leak = await runCli(['leakage', '--project', dir]);
    expect(leak.code, leak.stderr).toBe(0);
    expect(leak.last).toMatchObject({ event: 'leakage', version: 1, threshold: 6, near_duplicate_pairs: line.leakage.near_duplicate_pairs, groups_crossing: line.leakage.groups_crossing });
  });

  it('groups by folder and near duplicates together, and then nothing leaks', async () => {
    const dir = fixture();
    const r = await runCli(['split', '--project', dir, '--seed', '7', '--group-by', 'folder', '--group-by', 'near-duplicates']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.last).toMatchObject({ version: 1, group_by: ['folder', 'near-duplicates:6'], leakage: { near_duplicate_pairs: 0, groups_crossing: 0 } });
    const same = await runCli(['split', '--project', dir, '--seed', '7', '--group-by', 'folder', '--group-by', 'near-duplicates', '--dry-run']);
    expect(same.last).toMatchObject({ version: null, counts: (r.last as any).counts, per_class: (r.last as any).per_class });
    expect((await runCli(['leakage', '--project', dir])).last).toMatchObject({ version: 1, near_duplicate_pairs: 0 });
  });

  it('groups by a file-name pattern and by capture time', async () => {
    const rows: Row[] = labeled(60, ['a', 'b'], (i) => ({
      relPath: `${i % 2 ? 'b' : 'a'}/vid${Math.floor(i / 6)}_frame${i}.jpg`,
      capturedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, i * 10)).toISOString().slice(0, 19),
    }));
    const dir = project(rows);
    const re = await runCli(['split', '--project', dir, '--seed', '1', '--group-by', 'regex:^(vid\\d+)_', '--dry-run']);
    expect(re.code, re.stderr).toBe(0);
    expect(re.last).toMatchObject({ group_by: ['regex:^(vid\\d+)_'], groups: { count: 10, grouped_images: 60, largest: 6 } });
    const time = await runCli(['split', '--project', dir, '--seed', '1', '--group-by', 'time:10', '--dry-run']);
    expect(time.last).toMatchObject({ group_by: ['time:10'], groups: { count: 1, largest: 60 } });
    const apart = await runCli(['split', '--project', dir, '--seed', '1', '--group-by', 'time:5', '--dry-run']);
    expect(apart.last).toMatchObject({ groups: { count: 60, grouped_images: 0 } });
    expect((apart.last as any).warnings.join('\n')).toMatch(/Grouping by time:5 found no two images/);
  });

  it('places new images with --add-new', async () => {
    const dir = fixture();
    await runCli(['split', '--project', dir, '--seed', '3']);
    const none = await runCli(['split', '--project', dir, '--add-new']);
    expect(none.last).toMatchObject({ event: 'split_new_images', version: 1, created: false, added: { train: 0, validation: 0, test: 0 } });
    const conflict = await runCli(['split', '--project', dir, '--add-new', '--seed', '4']);
    expect(conflict.code).toBe(2);
  });

  it('exits non-zero naming the flag on bad input', async () => {
    const dir = fixture();
    const sum = await runCli(['split', '--project', dir, '--ratios', '70,15,10']);
    expect(sum.code).toBe(1);
    expect(sum.last).toMatchObject({ event: 'error', code: 'invalid_request', field: 'ratios' });
    expect(String(sum.last.message)).toMatch(/^--ratios: .*add up to 100/);

    const shape = await runCli(['split', '--project', dir, '--ratios', '70,30']);
    expect(shape.code).toBe(2);
    expect(String(shape.last.message)).toMatch(/--ratios must be three numbers/);

    const regex = await runCli(['split', '--project', dir, '--group-by', 'regex:(unclosed']);
    expect(regex.code).toBe(1);
    expect(regex.last).toMatchObject({ field: 'grouping.0.pattern' });
    expect(String(regex.last.message)).toMatch(/^--group-by: the group pattern is not a valid regular expression/);

    const unknown = await runCli(['split', '--project', dir, '--group-by', 'color']);
    expect(unknown.code).toBe(2);
    expect(String(unknown.last.message)).toMatch(/--group-by must be folder, csv/);

    const seed = await runCli(['split', '--project', dir, '--seed', 'abc']);
    expect(seed.code).toBe(2);
    expect(String(seed.last.message)).toMatch(/--seed/);

    const unlabeled = project([{ className: null }, { className: null }]);
    const empty = await runCli(['split', '--project', unlabeled]);
    expect(empty.code).toBe(1);
    expect(String(empty.last.message)).toMatch(/no labeled images/);

    const noSplit = await runCli(['leakage', '--project', unlabeled]);
    expect(noSplit.code).toBe(1);
    expect(noSplit.last).toMatchObject({ event: 'error', code: 'not_found' });
    expect(String(noSplit.last.message)).toMatch(/no split has been saved yet/);
    // No half-written state: the failed runs saved nothing.
    expect((await runCli(['leakage', '--project', dir])).last).toMatchObject({ code: 'not_found' });
  });
});
