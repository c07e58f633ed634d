// The facts about a training set that choose-defaults.ts needs. Sizes come from the
// database; whether images are greyscale is read from up to 32 files' headers (cheap:
// sharp reads metadata without decoding pixels).
import fs from 'node:fs/promises';
import sharp from 'sharp';
import type { DataFacts } from '../run/choose-defaults.js';
import type { TrainingSet } from './training-set.js';

const SAMPLE = 32;

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
      const meta = await sharp(await fs.readFile(item.pathBytes)).metadata();
      if (meta.space !== 'b-w' && (meta.channels ?? 3) > 2) greyscale = false;
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
