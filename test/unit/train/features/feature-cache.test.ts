// The on-disk feature cache: round trip, a changed key never reads old features, a
// damaged file is a miss, concurrent writers of one image never leave a mix, pruning.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FeatureCache, featureCachesRoot, pruneFeatureCaches } from '../../../../electron/engine/train/features/feature-cache.js';
import { featureKeyHash, type FeatureCacheKey } from '../../../../electron/engine/train/features/feature-key.js';
import { repoRoot } from '../../../helpers/run-cli.js';
import { tempDirFactory } from '../../../helpers/temp-dir.js';
import { sharedKey, sharedSha } from './shared-key.js';

const tempDir = tempDirFactory('holdout-features-');
const here = path.dirname(fileURLToPath(import.meta.url));

const key: FeatureCacheKey = { backboneId: 'mobilenet-v2', backboneVersion: '1', featureDim: 8, inputSize: 224, resize: 'cover', channels: 3, view: 0, augmentation: null };
const augmented: FeatureCacheKey = { ...key, view: 2, augmentation: { flip: true, rotation: 10, hue: 0.1 } };
const shaOf = (n: number) => n.toString(16).padStart(64, '0');
const vector = (seed: number) => Float32Array.from({ length: 8 }, (_, i) => Math.sin(seed * 31 + i) * 100);

function errorOf(fn: () => unknown): { field?: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { field?: string; message: string };
  }
  throw new Error('expected an error');
}

describe('FeatureCache', () => {
  it('stores and returns features under the project, described by key.json', () => {
    const project = tempDir();
    const cache = new FeatureCache(project, key);
    expect(cache.get(shaOf(1))).toBeNull();
    expect(cache.has(shaOf(1))).toBe(false);
    expect(fs.existsSync(cache.dir)).toBe(false);

    cache.put(shaOf(1), vector(1));
    cache.put(shaOf(0x1234), vector(2).subarray(0)); // a view into a larger buffer is fine too
    const offset = new Float32Array(20);
    offset.set(vector(3), 5);
    cache.put(shaOf(0xabcd), offset.subarray(5, 13));

    expect(cache.get(shaOf(1))).toEqual(vector(1));
    expect(cache.get(shaOf(0xabcd))).toEqual(vector(3));
    expect(cache.has(shaOf(0x1234))).toBe(true);
    const file = path.join(project, 'cache', 'features', featureKeyHash(key), '00', `${shaOf(1)}.f32`);
    expect(cache.fileOf(shaOf(1))).toBe(file);
    expect(fs.statSync(file).size).toBe(8 * 4 + 4);
    expect(cache.stats()).toEqual({ keyHash: cache.keyHash, dir: cache.dir, entries: 3, bytes: 3 * 36 });
    const described = JSON.parse(fs.readFileSync(path.join(cache.dir, 'key.json'), 'utf8')) as { keyHash: string; key: Record<string, unknown> };
    expect(described.keyHash).toBe(cache.keyHash);
    expect(described.key).toMatchObject({ backboneId: 'mobilenet-v2', backboneVersion: '1', inputSize: 224, view: 0, format: 1 });

    // A second cache object (another run) with an equal key reads the same features.
    expect(new FeatureCache(project, { ...key }).get(shaOf(1))).toEqual(vector(1));
  });

  it('misses whenever any part of the key changes, and only then', () => {
    const project = tempDir();
    new FeatureCache(project, key).put(shaOf(1), vector(1));
    new FeatureCache(project, augmented).put(shaOf(1), vector(9));
    const changes: Partial<FeatureCacheKey>[] = [
      { backboneId: 'other' },
      { backboneVersion: '2' },
      { backboneVersion: null },
      { featureLayer: 'block_15' },
      { inputSize: 160 },
      { resize: 'fill' },
      { channels: 1 },
      { view: 1, augmentation: augmented.augmentation },
      { view: 2, augmentation: { ...(augmented.augmentation as object), flip: false } },
      { view: 2, augmentation: augmented.augmentation, viewSeed: 7 },
    ];
    for (const change of changes) expect(new FeatureCache(project, { ...key, ...change }).get(shaOf(1)), JSON.stringify(change)).toBeNull();
    // Key order and undefined fields do not matter: the key is hashed in canonical form.
    const reordered = { augmentation: { hue: 0.1, rotation: 10, flip: true }, view: 2, channels: 3, resize: 'cover', inputSize: 224, featureDim: 8, backboneVersion: '1', backboneId: 'mobilenet-v2', featureLayer: undefined };
    expect(new FeatureCache(project, reordered).get(shaOf(1))).toEqual(vector(9));
    expect(new FeatureCache(project, key).get(shaOf(1))).toEqual(vector(1));
  });

  it('refuses keys and values that do not fit', () => {
    const project = tempDir();
    expect(errorOf(() => new FeatureCache(project, { ...key, augmentation: { flip: true } }))).toMatchObject({ field: 'augmentation' });
    expect(errorOf(() => new FeatureCache(project, { ...key, view: 3 }))).toMatchObject({ field: 'augmentation' });
    expect(errorOf(() => new FeatureCache(project, { ...key, featureDim: 0 }))).toMatchObject({ field: 'featureDim' });
    expect(errorOf(() => new FeatureCache(project, { ...key, view: -1 }))).toMatchObject({ field: 'view' });
    const cache = new FeatureCache(project, key);
    expect(() => cache.put(shaOf(1), new Float32Array(7))).toThrow(/7 values; this cache holds 8/);
    expect(errorOf(() => cache.get('../../etc/passwd'))).toMatchObject({ field: 'sha256' });
    expect(errorOf(() => cache.put('ABC', vector(1)))).toMatchObject({ field: 'sha256' });
  });

  it('treats a truncated, altered or zero-filled file as a miss and deletes it', () => {
    const project = tempDir();
    const cache = new FeatureCache(project, key);
    const damage: [string, (file: string) => void][] = [
      ['truncated', (f) => fs.truncateSync(f, 20)],
      ['empty', (f) => fs.truncateSync(f, 0)],
      ['flipped', (f) => {
        const b = fs.readFileSync(f);
        b[3]! ^= 0x10;
        fs.writeFileSync(f, b);
      }],
      ['zeros', (f) => fs.writeFileSync(f, Buffer.alloc(36))],
      ['longer', (f) => fs.appendFileSync(f, Buffer.alloc(4))],
    ];
    damage.forEach(([name, harm], i) => {
      const sha = shaOf(100 + i);
      cache.put(sha, vector(i));
      harm(cache.fileOf(sha));
      expect(cache.get(sha), name).toBeNull();
      expect(fs.existsSync(cache.fileOf(sha)), name).toBe(false);
      cache.put(sha, vector(i));
      expect(cache.get(sha), name).toEqual(vector(i));
    });
  });

  it('stays whole when several processes put the same image at once', async () => {
    const project = tempDir();
    const cache = new FeatureCache(project, sharedKey);
    const procs = [1, 2, 3].map((w) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'put-loop-child.ts'), project, String(w), '500'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const ready = new Promise<void>((resolve) => proc.stdout.once('data', () => resolve()));
      const exited = new Promise<void>((resolve, reject) => {
        proc.on('error', reject);
        proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${w} exited ${code}: ${stderr}`))));
      });
      return { proc, ready, exited };
    });
    await Promise.all(procs.map((p) => p.ready));
    // All three start together, so their writes really overlap.
    for (const p of procs) p.proc.stdin.write('go\n');
    const writers = procs.map((p) => p.exited);
    let running = true;
    const all = Promise.all(writers).finally(() => (running = false));
    const seen = new Set<number>();
    let reads = 0;
    let seenAny = false;
    while (running) {
      const got = cache.get(sharedSha);
      reads++;
      if (got) {
        seenAny = true;
        // One writer's vector, whole: never a mix of two.
        expect(got.every((v) => v === got[0])).toBe(true);
        seen.add(got[0]!);
      } else {
        // Once written, the file is always there: get never met a torn file (it would have deleted it).
        expect(seenAny).toBe(false);
      }
      await new Promise((r) => setImmediate(r));
    }
    await all;
    expect(reads).toBeGreaterThan(10);
    expect([...seen].every((w) => [1, 2, 3].includes(w))).toBe(true);
    // The reader met more than one writer's file: the writes did overlap.
    expect(seen.size).toBeGreaterThanOrEqual(2);
    const final = cache.get(sharedSha)!;
    expect([1, 2, 3]).toContain(final[0]);
    // No temporary file is left behind.
    expect(fs.readdirSync(path.dirname(cache.fileOf(sharedSha)))).toEqual([`${sharedSha}.f32`]);
  });

  it('prunes caches whose key is no longer used, and stale temporary files', () => {
    const project = tempDir();
    const keep = new FeatureCache(project, key);
    const drop = new FeatureCache(project, augmented);
    keep.put(shaOf(1), vector(1));
    drop.put(shaOf(1), vector(2));
    drop.put(shaOf(2), vector(3));
    const sub = path.dirname(keep.fileOf(shaOf(1)));
    fs.writeFileSync(path.join(sub, 'x.f32.1-0-aaaa.tmp'), 'old');
    const hourAgo = (Date.now() - 2 * 3600_000) / 1000;
    fs.utimesSync(path.join(sub, 'x.f32.1-0-aaaa.tmp'), hourAgo, hourAgo);
    fs.writeFileSync(path.join(sub, 'y.f32.1-0-bbbb.tmp'), 'being written now');

    const dropKeyJson = fs.statSync(path.join(drop.dir, 'key.json')).size;

    const result = pruneFeatureCaches(project, [key]);
    expect(result).toEqual({ removed: [drop.keyHash], bytes: 2 * 36 + dropKeyJson });
    expect(fs.readdirSync(featureCachesRoot(project))).toEqual([keep.keyHash]);
    expect(keep.get(shaOf(1))).toEqual(vector(1));
    expect(drop.get(shaOf(1))).toBeNull();
    expect(fs.readdirSync(sub).sort()).toEqual([`${shaOf(1)}.f32`, 'y.f32.1-0-bbbb.tmp']);
    expect(pruneFeatureCaches(tempDir(), [])).toEqual({ removed: [], bytes: 0 });
  });
});
