// Pixels of a list of images at one size, as uint8. Small datasets are decoded once and
// held in memory (a 28×28 grey image is 784 bytes; 60,000 of them are 47 MB); larger
// ones are decoded per batch, so memory stays bounded whatever the dataset.
import { decodeImage, type DecodeOptions } from './decode-image.js';
import { mapLimit } from './map-limit.js';
import type { TrainingItem } from './training-set.js';

/** Above this many bytes of pixels, decode per batch instead of holding everything. */
export const IN_MEMORY_BUDGET = 768 * 1024 * 1024;
const IN_FLIGHT = 8;

export class PixelSource {
  readonly pixelsPerImage: number;
  private all: Uint8Array | null = null;

  constructor(
    readonly items: readonly TrainingItem[],
    readonly opts: DecodeOptions,
  ) {
    this.pixelsPerImage = opts.size * opts.size * opts.channels;
  }

  get inMemory(): boolean {
    return this.all !== null;
  }

  /** Decodes everything up front when it fits the budget; reports progress. */
  async preload(onProgress?: (done: number, total: number) => void): Promise<void> {
    if (this.items.length * this.pixelsPerImage > IN_MEMORY_BUDGET) return;
    const all = new Uint8Array(this.items.length * this.pixelsPerImage);
    let done = 0;
    await mapLimit(this.items, IN_FLIGHT, async (item, i) => {
      all.set(await decodeImage(item.pathBytes, item.path, this.opts), i * this.pixelsPerImage);
      if (++done % 256 === 0 || done === this.items.length) onProgress?.(done, this.items.length);
    });
    this.all = all;
  }

  /** The pixels of the given item indices, concatenated in that order. */
  async pixels(indices: readonly number[]): Promise<Uint8Array> {
    const n = this.pixelsPerImage;
    const out = new Uint8Array(indices.length * n);
    if (this.all) {
      indices.forEach((idx, k) => out.set(this.all!.subarray(idx * n, (idx + 1) * n), k * n));
      return out;
    }
    await mapLimit(indices, IN_FLIGHT, async (idx, k) => {
      const item = this.items[idx]!;
      out.set(await decodeImage(item.pathBytes, item.path, this.opts), k * n);
    });
    return out;
  }
}
