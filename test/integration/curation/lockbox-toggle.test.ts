// The Library grid and the "Look at your data" views through the contract once a split
// exists: test images are hidden unless the request asks for them, then carry
// `inTest` so the screens can badge them; "N hidden" counts what the lockbox hides
// under a filter; a shift-click range over tiles not loaded yet gets its ids by position.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, type MethodName, type Request, type Response } from '../../../electron/api/contract.js';
import { invoke } from '../../../electron/api/dispatch.js';
import { createService, type HoldoutService } from '../../../electron/engine/service/create-service.js';
import { testIdsToHide } from '../../../electron/engine/store/splits-repo.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { addImages, labeled } from '../splits/seed-project.js';

const tempDir = tempDirFactory('holdout-lockbox-toggle-');
let service: HoldoutService;
let testIds: Set<number>;
let allIds: number[];
/** Two copies of one picture with different labels; the second lands in test (found below). */
let copies: number[];
/** A test image and a near duplicate of it added after the split. */
let lookAlike: number[];

async function call<M extends MethodName>(method: M, request: Request<M>): Promise<Response<M>> {
  const value = await invoke<M>(service.handlers, method, request);
  const checked = methods[method].response.safeParse(value);
  if (!checked.success) throw new Error(`${method} answered outside its schema: ${checked.error.message}`);
  return value;
}

beforeAll(async () => {
  service = createService({ settingsDir: tempDir('settings'), shell: 'web', emit: () => undefined });
  await call('project.create', { dir: path.join(tempDir(), 'p') });
  const p = service.project()!;
  allIds = addImages(p, labeled(150, ['ant', 'bee', 'wasp']));
  allIds.push(...addImages(p, [{ className: null }, { className: null }]));
  await call('split.save', { seed: 11 });
  testIds = testIdsToHide(p.db);
  // A copy (same bytes) of a test image, labeled differently and added after the split: a conflict across the lockbox.
  const [first, second] = [...testIds];
  const testImage = p.db.prepare('SELECT sha256 FROM images WHERE id = ?').pluck().get(first) as string;
  copies = [first!, ...addImages(p, [{ className: 'wasp', sha256: testImage }])];
  // A look-alike of another test image (same perceptual hash, other bytes).
  const phash = p.db.prepare('SELECT phash FROM images WHERE id = ?').pluck().get(second) as string;
  lookAlike = [second!, ...addImages(p, [{ className: 'ant', phash }])];
  allIds.push(copies[1]!, lookAlike[1]!);
});
afterAll(() => service.dispose());

describe('the lockbox in the grids', () => {
  it('hides test images from the Library grid by default and shows them, marked, when asked', async () => {
    expect(testIds.size).toBeGreaterThan(15);
    const hidden = await call('images.page', { filter: {}, offset: 0, limit: 1000 });
    expect(hidden.total).toBe(allIds.length - testIds.size);
    expect(hidden.items.some((t) => testIds.has(t.id))).toBe(false);
    expect(hidden.items.some((t) => t.inTest !== undefined)).toBe(false);

    const shown = await call('images.page', { filter: { includeTest: true }, offset: 0, limit: 1000 });
    expect(shown.total).toBe(allIds.length);
    const marked = shown.items.filter((t) => t.inTest === true).map((t) => t.id);
    expect(new Set(marked)).toEqual(testIds);
    expect(shown.items.filter((t) => !testIds.has(t.id)).every((t) => t.inTest === undefined)).toBe(true);
    // The project's totals still count every image.
    expect((await call('classes.list', {})).total).toBe(allIds.length);
  });

  it('counts the hidden test images under each filter', async () => {
    expect(await call('images.hiddenTest', {})).toEqual({ hidden: testIds.size });
    const ant = (await call('classes.list', {})).classes.find((c) => c.name === 'ant')!;
    const antTest = (await call('images.page', { filter: { classId: ant.id, includeTest: true }, offset: 0, limit: 1000 })).items.filter((t) => t.inTest);
    expect(antTest.length).toBeGreaterThan(0);
    expect(await call('images.hiddenTest', { filter: { classId: ant.id } })).toEqual({ hidden: antTest.length });
    // Nothing unlabeled is ever in a split.
    expect(await call('images.hiddenTest', { filter: { classId: null } })).toEqual({ hidden: 0 });
    // includeTest in the filter does not change what the count is of.
    expect(await call('images.hiddenTest', { filter: { includeTest: true } })).toEqual({ hidden: testIds.size });
  });

  it('marks test tiles in the curation views only when they were asked for', async () => {
    const sample = await call('curation.sample', { seed: 4, filter: { includeTest: true }, limit: 1000 });
    expect(new Set(sample.items.filter((t) => t.inTest).map((t) => t.id))).toEqual(testIds);
    const plain = await call('curation.sample', { seed: 4, limit: 1000 });
    expect(plain.items.some((t) => t.inTest || testIds.has(t.id))).toBe(false);
    const ext = await call('curation.extremes', { measure: 'bytes', end: 'largest', filter: { includeTest: true }, limit: 500 });
    expect(ext.items.filter((t) => t.inTest).length).toBe(testIds.size);
    const exact = await call('curation.exactDuplicates', { filter: { includeTest: true } });
    const withCopy = exact.clusters.find((c) => c.images.some((t) => t.id === copies[0]))!;
    expect(withCopy.images.find((t) => t.id === copies[0])!.inTest).toBe(true);
    expect(withCopy.images.find((t) => t.id === copies[1])!.inTest).toBeUndefined();
    expect((await call('curation.exactDuplicates', {})).clusters.some((c) => c.images.some((t) => t.id === copies[0]))).toBe(false);
  });

  it('leaves test images out of near-duplicate groups unless asked, then marks them', async () => {
    const inGroup = (page: Response<'curation.nearDuplicates'>) => page.clusters.find((c) => c.images.some((t) => t.id === lookAlike[1]));
    // Without its test twin the look-alike has no group at all.
    expect(inGroup(await call('curation.nearDuplicates', { threshold: 0, limit: 500 }))).toBeUndefined();
    expect(inGroup(await call('curation.nearDuplicates', { threshold: 0, filter: { status: 'ok' }, limit: 500 }))).toBeUndefined();
    const shown = inGroup(await call('curation.nearDuplicates', { threshold: 0, filter: { includeTest: true }, limit: 500 }))!;
    expect(shown.images.map((t) => [t.id, t.inTest ?? false])).toEqual(
      expect.arrayContaining([
        [lookAlike[0], true],
        [lookAlike[1], false],
      ]),
    );
    const all = await call('curation.nearDuplicates', { threshold: 0, filter: { includeTest: true }, limit: 500 });
    const hidden = await call('curation.nearDuplicates', { threshold: 0, limit: 500 });
    expect(hidden.clusters.some((c) => c.images.some((t) => testIds.has(t.id)))).toBe(false);
    expect(all.totalImages).toBeGreaterThan(hidden.totalImages);
  });

  it('shows a conflict with a test image only when test images are asked for', async () => {
    const hidden = await call('curation.conflicts', {});
    expect(hidden.clusters.some((c) => c.images.some((t) => copies.includes(t.id)))).toBe(false);
    const shown = await call('curation.conflicts', { includeTest: true });
    const cluster = shown.clusters.find((c) => c.images.some((t) => t.id === copies[0]))!;
    expect(cluster.images.map((t) => t.id).sort((a, b) => a - b)).toEqual([...copies].sort((a, b) => a - b));
    expect(cluster.images.find((t) => t.id === copies[0])!.inTest).toBe(true);
  });
});

describe('ids by position, for ranges over tiles not loaded', () => {
  it('answers the ids of a position range in the grid order, under the same filter', async () => {
    for (const filter of [{}, { includeTest: true }, { status: 'ok' as const }]) {
      const page = await call('images.page', { filter, offset: 0, limit: 1000 });
      const range = await call('images.idsInRange', { filter, offset: 37, limit: 60 });
      expect(range).toEqual({ offset: 37, ids: page.items.slice(37, 97).map((t) => t.id) });
    }
    const tail = await call('images.idsInRange', { filter: {}, offset: allIds.length - testIds.size - 3, limit: 100 });
    expect(tail.ids).toHaveLength(3);
  });

  it('rejects a range that is too long or negative, naming the field', async () => {
    await expect(invoke(service.handlers, 'images.idsInRange', { offset: 0, limit: 200_001 })).rejects.toMatchObject({ field: 'limit' });
    await expect(invoke(service.handlers, 'images.idsInRange', { offset: -1, limit: 5 })).rejects.toMatchObject({ field: 'offset' });
  });
});
