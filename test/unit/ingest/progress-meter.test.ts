import { describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../../electron/api/schemas.js';
import { ProgressMeter, type ProgressCounts } from '../../../electron/engine/ingest/progress-meter.js';

function counts(done: number, total = 1000): ProgressCounts {
  return { phase: 'processing', done, total, imported: done, skipped: 0, errors: 0 };
}

describe('ProgressMeter', () => {
  it('emits at most once per interval unless forced', () => {
    let now = 0;
    const seen: ImportProgress[] = [];
    const meter = new ProgressMeter(7, (p) => seen.push(p), { now: () => now });
    for (let i = 0; i < 100; i++) {
      now = i * 10; // 1 s of updates every 10 ms
      meter.update(counts(i));
    }
    expect(seen.length).toBe(4); // t = 0, 250, 500, 750
    meter.update(counts(100), true);
    expect(seen.length).toBe(5);
    expect(seen[4]).toMatchObject({ importId: 7, done: 100, total: 1000 });
  });

  it('measures the rate over a sliding window and derives the ETA', () => {
    let now = 0;
    const meter = new ProgressMeter(1, undefined, { now: () => now, windowMs: 5000 });
    // 10 s slow (10 files/s), then 5 s fast (100 files/s): the rate follows the recent speed.
    let done = 0;
    for (let t = 0; t <= 10_000; t += 100) {
      now = t;
      meter.update(counts(done, 10_000));
      done += 1;
    }
    for (let t = 10_100; t <= 15_000; t += 100) {
      now = t;
      done += 10;
      meter.update(counts(done, 10_000));
    }
    const p = meter.current!;
    expect(p.rate).toBeGreaterThan(90);
    expect(p.rate).toBeLessThan(110);
    expect(p.etaSeconds).toBeCloseTo((10_000 - done) / p.rate, -1);
  });

  it('gives no rate or ETA before half a second of work', () => {
    let now = 0;
    const meter = new ProgressMeter(1, undefined, { now: () => now });
    meter.update(counts(0));
    now = 100;
    meter.update(counts(5));
    expect(meter.current).toMatchObject({ rate: 0, etaSeconds: null });
  });
});

describe('ProgressMeter start-up', () => {
  it('measures from the first finished file, not from a slow start', () => {
    let now = 0;
    const meter = new ProgressMeter(1, undefined, { now: () => now });
    meter.update(counts(0), true); // processing starts; the workers take 2 s to start
    for (let t = 2000; t <= 4000; t += 100) {
      now = t;
      meter.update(counts((t - 2000) / 10)); // then 100 files/s
    }
    expect(meter.current!.rate).toBeCloseTo(100, 0);
  });
});
