// The training API's quick methods on a real project (real images, import and split):
// what 'auto' would choose and why, refusals that name the field, the augmentation
// preview on the user's own image, and the backbones. Training itself is in
// test/integration/train/train-api.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../../electron/engine/train/data/decode-image.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { refusal, trainFixture, type TrainFixture } from './train-fixture.js';

const tempDir = tempDirFactory('holdout-train-handlers-');
let f: TrainFixture;

async function pixelsOf(dataUrl: string): Promise<Buffer> {
  expect(dataUrl.startsWith('data:image/png;base64,')).toBe(true);
  const png = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  expect([info.width, info.height, info.channels]).toEqual([128, 128, 3]);
  return data;
}

beforeAll(async () => {
  f = await trainFixture(tempDir(), { perClass: 12 });
});
afterAll(async () => {
  await f?.service.dispose();
});

describe('train API: defaults and refusals', () => {
  it("says what 'auto' would choose for the current split, and why", async () => {
    const d = await f.call('train.defaults');
    expect(d).toMatchObject({ modelKind: 'small-cnn', inputSize: 32, channels: 3, backboneId: null, splitVersion: 1 });
    expect(d.reason).toMatch(/^small colour images .*: a small CNN trained from scratch$/);
    expect(d.classes.map((c: { name: string }) => c.name)).toEqual(['circle', 'square', 'triangle']);
    for (const c of d.classes) {
      expect(c.train).toBeGreaterThan(0);
      expect(c.validation).toBeGreaterThan(0);
      expect(c.train + c.validation).toBeLessThanOrEqual(12);
    }
    expect(d.configDefaults).toMatchObject({ modelKind: 'auto', epochs: 30, batchSize: 32, optimizer: 'adamw', augmentation: 'default' });
    expect(d.configDefaults.earlyStopping).toMatchObject({ enabled: true, patience: 5 });
    expect(await refusal(f.call('train.defaults', { splitVersion: 9 }))).toMatchObject({ code: 'not_found', field: 'splitVersion' });
  });

  it('refuses a bad configuration naming the field, and creates no run', async () => {
    const unknown = await refusal(f.call('train.start', { config: { epochs: 3, bogus: true } }));
    expect(unknown).toMatchObject({ code: 'invalid_request', field: 'bogus' });
    expect(unknown.message).toContain('bogus');
    const zero = await refusal(f.call('train.start', { config: { epochs: 0 } }));
    expect(zero).toMatchObject({ code: 'invalid_request', field: 'epochs' });
    const nested = await refusal(f.call('train.start', { config: { earlyStopping: { patience: -1 } } }));
    expect(nested.field).toBe('earlyStopping.patience');
    expect(await refusal(f.call('train.start', { config: 'fast' }))).toMatchObject({ code: 'invalid_request', field: 'config' });
    expect((await f.call('runs.list')).runs).toEqual([]);
    expect(await f.call('train.active')).toEqual({ runId: null });
  });

  it('answers unknown runs with not_found', async () => {
    for (const m of ['runs.get', 'train.stop', 'train.resume']) {
      expect(await refusal(f.call(m, { runId: 42 })), m).toMatchObject({ code: 'not_found', field: 'runId' });
    }
  });
});

describe('augment.preview', () => {
  it('returns the image as training sees it, then different augmented versions, the same for the same seed', async () => {
    const page = await f.call('images.page', { offset: 0, limit: 1 });
    const id = page.items[0].id;
    const detail = await f.call('images.get', { id });
    const a = await f.call('augment.preview', { imageId: id, augmentation: { rotation: 30, hue: 0.2 }, count: 5, seed: 11 });
    expect(a.seed).toBe(11);
    expect(a.images).toHaveLength(5);
    const tiles = await Promise.all(a.images.map(pixelsOf));
    const original = await decodeImage(detail.path, detail.path, { size: 128, channels: 3, resize: 'fill' });
    expect(Buffer.compare(tiles[0]!, Buffer.from(original))).toBe(0);
    for (let i = 1; i < 5; i++) expect(Buffer.compare(tiles[i]!, tiles[0]!), `tile ${i}`).not.toBe(0);
    const again = await f.call('augment.preview', { imageId: id, augmentation: { rotation: 30, hue: 0.2 }, count: 5, seed: 11 });
    expect(again.images).toEqual(a.images);

    const drawn = await f.call('augment.preview', { imageId: id });
    expect(drawn.images).toHaveLength(8);
    expect(Number.isInteger(drawn.seed)).toBe(true);
    const none = await f.call('augment.preview', { imageId: id, augmentation: 'none', count: 3 });
    for (const img of none.images) expect(img).toBe(none.images[0]);
  });

  it('refuses bad strengths, counts and images naming the field', async () => {
    expect(await refusal(f.call('augment.preview', { imageId: 1, augmentation: { rotation: 90 } }))).toMatchObject({
      code: 'invalid_request',
      field: 'augmentation.rotation',
    });
    expect(await refusal(f.call('augment.preview', { imageId: 1, augmentation: { wobble: 1 } }))).toMatchObject({ field: 'augmentation.wobble' });
    expect(await refusal(f.call('augment.preview', { imageId: 1, count: 17 }))).toMatchObject({ field: 'count' });
    expect(await refusal(f.call('augment.preview', { imageId: 99999 }))).toMatchObject({ code: 'not_found', field: 'imageId' });
  });
});

describe('backbones', () => {
  it('lists the bundled default', async () => {
    const { backbones, defaultId } = await f.call('backbones.list');
    const def = backbones.find((b: { id: string }) => b.id === defaultId);
    expect(def).toMatchObject({ bundled: true, format: expect.stringMatching(/layers|graph/) });
    expect(def.inputSize).toBeGreaterThan(0);
    expect(def.featureDim).toBeGreaterThan(0);
    expect(def.licence).toBeTruthy();
  });

  it('offers the online catalog, none of it installed', async () => {
    const { entries } = await f.call('backbones.catalog');
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e).toMatchObject({ installed: false, homepage: expect.stringMatching(/^https:/) });
    expect(await refusal(f.call('backbones.download', { id: 'no-such-model' }))).toMatchObject({ code: 'not_found' });
  });

  it('refuses a folder that is not a model, saying why, and imports nothing', async () => {
    const empty = path.join(tempDir(), 'holiday-photos');
    fs.mkdirSync(empty);
    const missing = await refusal(f.call('backbones.import', { folder: empty }));
    expect(missing).toMatchObject({ code: 'not_found', field: 'folder' });
    expect(missing.message).toContain('has no model.json');
    expect(await refusal(f.call('backbones.inspect', { folder: empty }))).toMatchObject({ field: 'folder' });

    const broken = path.join(tempDir(), 'broken-model');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'model.json'), '{"modelTopology": ');
    const bad = await refusal(f.call('backbones.import', { folder: broken }));
    expect(bad.code).toBe('invalid_request');
    expect(bad.message).toContain('model.json');
    expect(fs.existsSync(path.join(f.projectDir, 'backbones'))).toBe(false);
  });
});
