// The facts about a training set that choose-defaults.ts needs. Sizes come from the
// database; whether images are greyscale is judged on up to 32 sampled files.
import fs from 'node:fs/promises';
import sharp from 'sharp';
import type { DataFacts } from '../run/choose-defaults.js';
import type { TrainingSet } from './training-set.js';

const SAMPLE = 32;

/**
 * Grey by content, not by header: many grey images are saved as RGB (every pixel with
 * R = G = B), and they should train as one channel. A 16×16 reduction is enough to see
 * colour; a tolerance of 3 levels absorbs JPEG chroma noise.
 */
async function looksGrey(bytes: Buffer): Promise<boolean> {
  const meta = await sharp(bytes).metadata();
  if (meta.space === 'b-w' || (meta.channels ?? 3) <= 2) return true;
  const { data } = await sharp(bytes).rotate().resize(16, 16, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i + 2 < data.length; i += 3) {
    if (Math.abs(data[i]! - data[i + 1]!) > 3 || Math.abs(data[i]! - data[i + 2]!) > 3) return false;
  }
  return true;
}

export async function dataFacts(set: TrainingSet): Promise<DataFacts> {
  const sides = set.train.map((i) => Math.max(i.width, i.height)).sort((a, b) => a - b);
  const medianSide = sides[Math.floor(sides.length / 2)] ?? 0;
  const counts = new Map<number, number>();
  for (const i of set.train) counts.set(i.label, (counts.get(i.label) ?? 0) + 1);
  const step = Math.max(1, Math.floor(set.train.length / SAMPLE));
  let greyscale = true;
  for (let k = 0; k < set.train.length && greyscale; k += step) {
    const item = set.train[k]!;
    try {
      greyscale = await looksGrey(await fs.readFile(item.pathBytes));
    } catch {
      // An unreadable file is reported when its pixels are read; here it decides nothing.
    }
  }
  return {
    medianSide,
    greyscale,
    smallestClassCount: Math.min(...counts.values()),
    classCount: set.classes.length,
  };
}
