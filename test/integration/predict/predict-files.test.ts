// predictFiles in process on a real small model: odd and broken files each get a
// prediction or a clear error of their own while the others go on; a project image gets
// exactly the probabilities its evaluation gave it; an ensemble answers with the mean of
// its members' probabilities.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun } from '../../../electron/engine/evaluate/evaluate-run.js';
import { predictFiles } from '../../../electron/engine/predict/predict-files.js';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { exifRotatedJpeg, pngBomb, truncatedJpeg } from '../../fixtures/images/make-images.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';
import { predictFixture, type PredictFixture } from './predict-fixture.js';

const tempDir = tempDirFactory('holdout-predict-');

/** A 40×40 red disc on grey as raw RGB, the base of the odd files. */
function disc(width = 40, height = 40, channels = 3): Buffer {
  const px = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 3) ** 2;
      const o = (y * width + x) * channels;
      px[o] = inside ? 220 : 128;
      px[o + 1] = inside ? 30 : 128;
      px[o + 2] = inside ? 30 : 128;
      if (channels === 4) px[o + 3] = inside ? 255 : 0;
    }
  }
  return px;
}

async function writeOddFiles(dir: string): Promise<void> {
  const p = (name: string) => path.join(dir, name);
  fs.mkdirSync(dir, { recursive: true });
  const raw = { raw: { width: 40, height: 40, channels: 3 as const } };
  await sharp(disc(), raw).png().toFile(p('plain.png'));
  await sharp(Buffer.from([200, 40, 40]), { raw: { width: 1, height: 1, channels: 3 } }).png().toFile(p('tiny-1x1.png'));
  await sharp(disc(), raw).toColourspace('b-w').png().toFile(p('grey.png'));
  await sharp(disc(), raw).toColourspace('cmyk').jpeg().toFile(p('cmyk.jpg'));
  await sharp(disc(), raw).toColourspace('rgb16').png().toFile(p('sixteen-bit.png'));
  await sharp(disc(40, 40, 4), { raw: { width: 40, height: 40, channels: 4 } }).png().toFile(p('transparent.png'));
  fs.writeFileSync(p('sideways.jpg'), await exifRotatedJpeg(60, 40));
  fs.writeFileSync(p('cut.jpg'), await truncatedJpeg());
  fs.writeFileSync(p('bomb.png'), pngBomb(20000, 20000));
  fs.writeFileSync(p('empty.png'), '');
  fs.writeFileSync(p('text.jpg'), 'not a picture at all');
  fs.writeFileSync(p('notes.txt'), 'a note next to the photos');
}

describe('predictFiles', () => {
  let fx: PredictFixture;
  let odd: string;
  beforeAll(async () => {
    fx = await predictFixture(tempDir(), { ensemble: true });
    odd = path.join(tempDir(), 'odd');
    await writeOddFiles(odd);
  }, 60_000);

  it('odd images are predicted; broken ones get their own clear error; the rest go on', async () => {
    const db = openDatabase(path.join(fx.projectDir, 'holdout.db'));
    try {
      const missing = path.join(odd, 'gone.png');
      const r = await predictFiles(db, fx.projectDir, fx.runId, [odd, missing], { thumbnails: true });
      const by = new Map(r.results.map((x) => [path.basename(x.path), x]));
      for (const name of ['plain.png', 'tiny-1x1.png', 'grey.png', 'cmyk.jpg', 'sixteen-bit.png', 'transparent.png', 'sideways.jpg']) {
        const x = by.get(name)!;
        expect(x, name).toMatchObject({ ok: true });
        expect(r.model.classes).toContain(x.predicted);
        const probs = Object.values(x.probabilities!);
        expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        expect(x.confidence).toBe(Math.max(...probs));
        expect(x.thumbnail).toMatch(/^data:image\/webp;base64,/);
      }
      expect(by.get('cut.jpg')).toMatchObject({ ok: false, predicted: null, error: expect.stringMatching(/^truncated/) });
      expect(by.get('bomb.png')!.error).toMatch(/^too many pixels: 20000×20000/);
      expect(by.get('empty.png')!.error).toBe('empty file (0 bytes)');
      expect(by.get('text.jpg')!.error).toMatch(/^not an image: the file contains text/);
      expect(by.get('notes.txt')!.error).toMatch(/not an image file type \(\.txt\)/);
      expect(by.get('gone.png')!.error).toMatch(/^file not found/);
      expect(r.summary).toEqual({ images: 13, failed: 6 });
      expect(r.model).toMatchObject({ runId: fx.runId, runName: 'single', kind: 'single', members: 1, modelKind: 'small-cnn' });
    } finally {
      db.close();
    }
  });

  it("a project image gets its evaluation's probabilities (within 1e-5)", async () => {
    const db = openDatabase(path.join(fx.projectDir, 'holdout.db'));
    try {
      const evaluation = await evaluateRun(db, fx.projectDir, fx.runId, 'validation');
      const pathOf = db.prepare('SELECT path FROM images WHERE id = ?').pluck();
      const paths = evaluation.predictions.map((p) => pathOf.get(p.imageId) as string);
      const r = await predictFiles(db, fx.projectDir, fx.runId, paths);
      expect(r.summary.failed).toBe(0);
      let worst = 0;
      evaluation.predictions.forEach((p, i) => {
        const got = r.results[i]!;
        expect(got.path).toBe(paths[i]);
        expect(got.predicted).toBe(p.predicted);
        p.probabilities.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - got.probabilities![evaluation.confusion.classes[c]!]!))));
      });
      expect(worst).toBeLessThan(1e-5);
    } finally {
      db.close();
    }
  });

  it("an ensemble answers with the mean of its members' probabilities", async () => {
    const db = openDatabase(path.join(fx.projectDir, 'holdout.db'));
    try {
      const files = [path.join(odd, 'plain.png'), path.join(odd, 'grey.png'), path.join(odd, 'cut.jpg')];
      const whole = await predictFiles(db, fx.projectDir, fx.ensembleId!, files);
      const members = await Promise.all(fx.memberIds.map((id) => predictFiles(db, fx.projectDir, id, files)));
      expect(whole.model).toMatchObject({ kind: 'ensemble', members: 2, memberRunIds: fx.memberIds });
      expect(whole.model.checkpointEpochs).toHaveLength(2);
      for (const [i, x] of whole.results.entries()) {
        if (!x.ok) {
          expect(path.basename(x.path)).toBe('cut.jpg');
          continue;
        }
        for (const c of whole.model.classes) {
          const mean = (members[0]!.results[i]!.probabilities![c]! + members[1]!.results[i]!.probabilities![c]!) / 2;
          expect(Math.abs(x.probabilities![c]! - mean)).toBeLessThan(1e-6);
        }
      }
    } finally {
      db.close();
    }
  });

  it('bad requests are refused naming the field', async () => {
    const db = openDatabase(path.join(fx.projectDir, 'holdout.db'));
    try {
      await expect(predictFiles(db, fx.projectDir, 999, [odd])).rejects.toMatchObject({ code: 'not_found', field: 'runId' });
      await expect(predictFiles(db, fx.projectDir, fx.runId, [])).rejects.toMatchObject({ field: 'paths' });
      await expect(predictFiles(db, fx.projectDir, fx.runId, ['relative/x.png'])).rejects.toMatchObject({ field: 'paths', message: expect.stringMatching(/absolute/) });
      await expect(predictFiles(db, fx.projectDir, fx.runId, [odd], { maxFiles: 5 })).rejects.toMatchObject({
        field: 'paths',
        message: expect.stringMatching(/^12 files found; at most 5/),
      });
    } finally {
      db.close();
    }
  });
});
