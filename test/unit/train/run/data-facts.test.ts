// Greyscale is judged by content: grey pictures saved as RGB train as one channel.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dataFacts } from '../../../../electron/engine/train/data/data-facts.js';
import type { TrainingItem, TrainingSet } from '../../../../electron/engine/train/data/training-set.js';
import { tempDirFactory } from '../../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-facts-');

async function item(dir: string, name: string, rgb: [number, number, number], size: number, label: number): Promise<TrainingItem> {
  const file = path.join(dir, name);
  // A gradient so the image is not flat; the three channels follow `rgb`'s ratios.
  const raw = Buffer.alloc(size * size * 3);
  for (let p = 0; p < size * size; p++) for (let c = 0; c < 3; c++) raw[p * 3 + c] = Math.round(((p % size) / size) * rgb[c]!);
  await sharp(raw, { raw: { width: size, height: size, channels: 3 } }).png().toFile(file);
  return { imageId: 0, path: file, pathBytes: Buffer.from(file), sha256: '0'.repeat(64), width: size, height: size, label };
}

function set(train: TrainingItem[]): TrainingSet {
  return { splitVersionId: 1, classes: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }], train, validation: [], skipped: { unlabeled: 0, excluded: 0 } };
}

describe('dataFacts', () => {
  it('calls RGB-encoded grey images greyscale, and colour images colour', async () => {
    const dir = tempDir();
    const grey = [await item(dir, 'g1.png', [255, 255, 255], 28, 0), await item(dir, 'g2.png', [200, 200, 200], 28, 1)];
    expect((await sharp(fs.readFileSync(grey[0]!.path)).metadata()).channels).toBe(3);
    expect(await dataFacts(set(grey))).toMatchObject({ greyscale: true, medianSide: 28, smallestClassCount: 1, classCount: 2 });
    const colour = [...grey, await item(dir, 'c.png', [255, 40, 0], 28, 1)];
    expect((await dataFacts(set(colour))).greyscale).toBe(false);
  });
});
