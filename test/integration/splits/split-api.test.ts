// The split and lockbox methods through the service and the dispatch gate every
// transport uses: the API itself enforces the lockbox, and validates the wizard's input
// with messages that name the field.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../electron/api/contract.js';
import { dispatch } from '../../../electron/api/dispatch.js';
import { createService } from '../../../electron/engine/service/create-service.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImages, labeled } from './seed-project.js';

const tempDir = tempDirFactory('holdout-split-api-');

async function setup(rows = labeled(120, ['moth', 'beetle', 'wasp'])) {
  const events: { event: EventName; payload: unknown }[] = [];
  const service = createService({ settingsDir: tempDir('settings'), shell: 'web', emit: (event, payload) => events.push({ event, payload }) });
  const call = async (method: string, request: unknown = {}): Promise<any> => {
    const r = await dispatch(service.handlers, method, request);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value;
  };
  const fails = async (method: string, request: unknown): Promise<{ code: string; message: string; field?: string }> => {
    const r = await dispatch(service.handlers, method, request);
    if (r.ok) throw new Error(`${method} should have failed`);
    return r.error;
  };
  await call('project.create', { dir: path.join(tempDir(), 'p') });
  addImages(service.project()!, rows);
  return { service, events, call, fails };
}

describe('split API', () => {
  it('previews, saves, lists and reports the current split', async () => {
    const { service, events, call } = await setup();
    expect(await call('split.current')).toBeNull();
    const preview = await call('split.preview', { seed: 5 });
    expect(preview).toMatchObject({ version: null, seed: 5, ratios: { train: 70, validation: 15, test: 15 }, grouping: [], total: 120 });
    expect(preview.perClass.map((c: any) => c.name)).toEqual(['moth', 'beetle', 'wasp']);
    const saved = await call('split.save', { seed: 5, grouping: [{ kind: 'near-duplicates' }] });
    expect(saved.version).toMatchObject({ id: 1, grouping: [{ kind: 'near-duplicates', threshold: 6 }], threshold: 6, testUses: 0 });
    expect(events.at(-1)).toEqual({ event: 'project.changed', payload: { reason: 'split' } });
    expect(await call('split.current')).toMatchObject({ id: 1 });
    const list = await call('split.list');
    expect(list).toMatchObject({ currentId: 1, versions: [{ id: 1 }] });
    expect(await call('split.leakage')).toMatchObject({ versionId: 1, threshold: 6, nearDuplicatePairs: 0, groupsCrossing: 0 });
    await service.dispose();
  });

  it('rejects bad ratios, patterns and group sources, naming the field', async () => {
    const { service, fails } = await setup();
    const sum = await fails('split.preview', { ratios: { train: 70, validation: 15, test: 10 } });
    expect(sum).toMatchObject({ code: 'invalid_request', field: 'ratios' });
    expect(sum.message).toMatch(/add up to 100; they add up to 95/);
    expect(await fails('split.preview', { ratios: { train: 0, validation: 50, test: 50 } })).toMatchObject({ field: 'ratios.train' });
    expect(await fails('split.preview', { ratios: { train: 170, validation: -35, test: -35 } })).toMatchObject({ field: 'ratios.train' });
    const re = await fails('split.save', { grouping: [{ kind: 'folder' }, { kind: 'regex', pattern: '([a-z' }] });
    expect(re).toMatchObject({ code: 'invalid_request', field: 'grouping.1.pattern' });
    expect(await fails('split.preview', { grouping: [{ kind: 'clusters' }] })).toMatchObject({ field: 'grouping.0.kind' });
    expect(await fails('split.preview', { grouping: [{ kind: 'time', seconds: -1 }] })).toMatchObject({ field: 'grouping.0.seconds' });
    expect(await fails('split.preview', { seed: -1 })).toMatchObject({ field: 'seed' });
    expect(await fails('split.leakage', {})).toMatchObject({ code: 'not_found' });
    await service.dispose();
  });

  it('refuses to split a project without labeled images', async () => {
    const { service, fails } = await setup([{ className: null }, { className: null }]);
    const r = await fails('split.save', {});
    expect(r.code).toBe('invalid_request');
    expect(r.message).toMatch(/no labeled images/);
    await service.dispose();
  });

  it('places new images later through the API, never into test unless asked', async () => {
    const { service, call } = await setup();
    await call('split.save', { seed: 8 });
    addImages(service.project()!, labeled(30, ['moth']));
    const r = await call('split.assignNew', {});
    expect(r).toMatchObject({ created: true, version: { id: 2, parentId: 1 }, added: { test: 0 }, heldBack: 0 });
    await service.dispose();
  });

  it('counts the labeled images the current split does not place yet', async () => {
    const { service, call } = await setup();
    await call('split.save', { seed: 8 });
    expect(await call('split.current')).toMatchObject({ id: 1, unassigned: 0 });
    // New labeled images count; unlabeled and excluded ones are not split, so they do not.
    addImages(service.project()!, [...labeled(7, ['moth', 'wasp']), { className: null }, { className: 'moth', excluded: true }]);
    expect(await call('split.current')).toMatchObject({ id: 1, unassigned: 7 });
    // Labeling an unlabeled image makes it one more to place.
    const unlabeled = service.project()!.db.prepare('SELECT id FROM images WHERE class_id IS NULL').pluck().get() as number;
    const moth = (await call('classes.list')).classes.find((c: any) => c.name === 'moth').id;
    await call('labels.assign', { imageIds: [unlabeled], classId: moth });
    expect((await call('split.current')).unassigned).toBe(8);
    await call('split.assignNew', {});
    expect(await call('split.current')).toMatchObject({ id: 2, unassigned: 0 });
    await service.dispose();
  });

  it('names each leaked image\'s content hash, so the pair can be shown as thumbnails', async () => {
    // Two near copies of one picture (1 bit apart) in one class, filed in two folders; every
    // folder holds two images, so the seed alone decides where each folder goes.
    const rows = Array.from({ length: 60 }, (_, i) => ({ className: i < 30 ? 'moth' : 'beetle', group: `g${Math.floor(i / 2)}` }));
    const { service, call } = await setup(rows);
    const p = service.project()!;
    const [a, , b] = addImages(p, [
      { className: 'moth', group: 'ga', phash: 'abcdefabcdefabcd', sha256: 'a'.repeat(64) },
      { className: 'moth', group: 'ga' },
      { className: 'moth', group: 'gb', phash: 'abcdefabcdefabcf', sha256: 'b'.repeat(64) },
      { className: 'moth', group: 'gb' },
    ]);
    // A seed whose folder grouping puts the two in different splits.
    let seed = 1;
    for (; seed < 100; seed++) {
      const preview = await call('split.preview', { seed, grouping: [{ kind: 'folder' }] });
      if (preview.leakage.nearDuplicatePairs > 0) break;
    }
    const preview = await call('split.preview', { seed, grouping: [{ kind: 'folder' }] });
    expect(preview.leakage.pairs).toHaveLength(1);
    expect(preview.leakage.pairs[0]).toMatchObject({ a: { id: a, sha256: 'a'.repeat(64) }, b: { id: b, sha256: 'b'.repeat(64) }, distance: 1 });
    await call('split.save', { seed, grouping: [{ kind: 'folder' }] });
    const leak = await call('split.leakage');
    expect(leak.pairs[0]).toMatchObject({ a: { sha256: 'a'.repeat(64) }, b: { sha256: 'b'.repeat(64) } });
    await service.dispose();
  });
});

describe('test lockbox API', () => {
  it('opens the test set only with confirmation, and a second time only with a second confirmation', async () => {
    const { service, call, fails } = await setup();
    await call('split.save', { seed: 1 });
    const status0 = await call('lockbox.status');
    expect(status0).toMatchObject({ splitVersionId: 1, testImages: 18, uses: 0, reuseNeedsConfirmation: false, entries: [] });

    const refused = await fails('lockbox.open', { model: 'run 1' });
    expect(refused).toMatchObject({ code: 'forbidden', field: 'confirm' });
    expect(refused.message).toMatch(/confirm/);
    expect(await fails('lockbox.open', { model: 'run 1', confirm: false })).toMatchObject({ field: 'confirm' });
    expect((await call('lockbox.status')).uses).toBe(0);

    const first = await call('lockbox.open', { model: 'run 1: frozen MobileNet + head', confirm: true });
    expect(first).toMatchObject({ testUses: 1, reused: false, entry: { useNumber: 1, reuseMark: null, reused: false, model: 'run 1: frozen MobileNet + head', runId: null, result: null } });
    expect(first.testImageIds).toHaveLength(18);
    const recorded = await call('lockbox.record', { entryId: first.entry.id, result: { accuracy: 0.91 } });
    expect(recorded).toMatchObject({ result: { accuracy: 0.91 } });
    expect(recorded.resultAt).toEqual(expect.any(String));
    expect(await fails('lockbox.record', { entryId: first.entry.id, result: { accuracy: 0.99 } })).toMatchObject({ code: 'conflict', field: 'entryId' });

    const again = await fails('lockbox.open', { model: 'run 2', confirm: true });
    expect(again).toMatchObject({ code: 'forbidden', field: 'confirmReuse' });
    expect(again.message).toMatch(/already been evaluated once/);
    expect(again.message).toMatch(/test set reused \(2\)/);

    const second = await call('lockbox.open', { model: 'run 2', runId: 2, confirm: true, confirmReuse: true });
    expect(second).toMatchObject({ testUses: 2, reused: true, entry: { useNumber: 2, reuseMark: 'test set reused (2)', runId: 2 } });

    const status = await call('lockbox.status');
    expect(status).toMatchObject({ uses: 2, reuseNeedsConfirmation: true });
    expect(status.entries.map((e: any) => e.reuseMark)).toEqual([null, 'test set reused (2)']);
    expect((await call('lockbox.ledger', {})).entries).toHaveLength(2);
    expect((await call('split.current')).testUses).toBe(2);
    await service.dispose();
  });

  it('counts uses of a test set across versions that keep it, and starts afresh with a new test set', async () => {
    const { service, call, fails } = await setup();
    await call('split.save', { seed: 1 });
    await call('lockbox.open', { model: 'm', confirm: true });
    addImages(service.project()!, labeled(12, ['moth', 'beetle', 'wasp']));
    await call('split.assignNew', {});
    // Version 2 has version 1's test set: its first evaluation is a reuse.
    expect(await fails('lockbox.open', { model: 'm2', confirm: true })).toMatchObject({ field: 'confirmReuse' });
    expect((await call('lockbox.status', { versionId: 2 })).uses).toBe(1);
    await call('split.save', { seed: 2 });
    expect(await call('lockbox.open', { model: 'm3', confirm: true })).toMatchObject({ testUses: 1, reused: false });
    expect((await call('lockbox.ledger', { versionId: 1 })).entries).toHaveLength(1);
    expect(await fails('lockbox.status', { versionId: 99 })).toMatchObject({ code: 'not_found', field: 'versionId' });
    await service.dispose();
  });

  it('refuses to open a test set that is empty, or before any split', async () => {
    const { service, call, fails } = await setup();
    expect(await fails('lockbox.open', { model: 'm', confirm: true })).toMatchObject({ code: 'not_found' });
    await call('split.save', { ratios: { train: 80, validation: 20, test: 0 } });
    expect(await fails('lockbox.open', { model: 'm', confirm: true })).toMatchObject({ code: 'conflict' });
    await service.dispose();
  });
});
