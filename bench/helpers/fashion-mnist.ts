// Fashion-MNIST from Debian's dataset-fashion-mnist package (IDX files, gzip), shared
// by the benchmarks that need real images offline. A missing package is a setup
// problem, not a failure of the code under test: say how to install it and exit 2.
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
/** Folder names for the ten classes, in label order (0 … 9). */
export const FASHION_CLASS_NAMES = ['tshirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'boot'] as const;
export const FASHION_SIDE = 28;

export type FashionPart = 'train' | 't10k';

export interface Subset {
  /** 28×28 greyscale pixels, row-major, one byte each. */
  images: Uint8Array[];
  labels: number[];
}

const files = (kind: FashionPart) => ({
  images: `${FASHION_MNIST_DIR}/${kind}-images-idx3-ubyte.gz`,
  labels: `${FASHION_MNIST_DIR}/${kind}-labels-idx1-ubyte.gz`,
});

/** Exits with status 2 and the install command when the Debian package is absent. */
export function requireFashionMnist(bench: string): void {
  const missing = (['train', 't10k'] as const).flatMap((k) => Object.values(files(k))).filter((f) => !fs.existsSync(f));
  if (missing.length === 0) return;
  process.stderr.write(
    `bench ${bench}: Fashion-MNIST is not installed (missing ${missing.join(', ')}).\n` +
      `Install it with:  sudo apt-get install dataset-fashion-mnist\n`,
  );
  process.exit(2);
}

/**
 * The first `perClass` images of each class, in file order: balanced and reproducible.
 * With `unique`, an image whose pixels equal an earlier one's is skipped, so every
 * chosen file has its own content (the split engine keeps exact copies together).
 */
export function readBalanced(kind: FashionPart, perClass: number, opts: { unique?: boolean } = {}): Subset {
  const f = files(kind);
  const img = zlib.gunzipSync(fs.readFileSync(f.images));
  const lab = zlib.gunzipSync(fs.readFileSync(f.labels));
  if (img.readUInt32BE(0) !== 2051 || lab.readUInt32BE(0) !== 2049) throw new Error(`${kind}: not IDX image/label files`);
  const n = img.readUInt32BE(4);
  const size = img.readUInt32BE(8) * img.readUInt32BE(12);
  const counts = new Array<number>(10).fill(0);
  const seen = new Set<string>();
  const out: Subset = { images: [], labels: [] };
  for (let i = 0; i < n && out.labels.length < perClass * 10; i++) {
    const y = lab[8 + i]!;
    if (counts[y]! >= perClass) continue;
    const pixels = img.subarray(16 + i * size, 16 + (i + 1) * size);
    if (opts.unique) {
      const key = crypto.createHash('sha1').update(pixels).digest('hex');
      if (seen.has(key)) continue;
      seen.add(key);
    }
    counts[y]!++;
    out.images.push(pixels);
    out.labels.push(y);
  }
  const short = counts.findIndex((c) => c < perClass);
  if (short >= 0) throw new Error(`${kind}: class ${FASHION_CLASS_NAMES[short]} has only ${counts[short]} images, ${perClass} asked for`);
  return out;
}
