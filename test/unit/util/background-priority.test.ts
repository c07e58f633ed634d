// Background work runs below the window's priority (electron/engine/util/background-priority.ts):
// real threads, their real nice values read back from /proc. Linux only (elsewhere the
// functions do nothing, by design).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startWorker } from '../../../electron/engine/workers/start-worker.js';
import { BACKGROUND_NICE } from '../../../electron/engine/util/background-priority.js';

type Mode = 'lower-self' | 'child-inherits' | 'libvips' | 'helpers';

function probe<T>(mode: Mode, env: Record<string, string> = {}, stderr: string[] = []): Promise<T> {
  const worker = startWorker(import.meta.url, './priority-probe-worker', { workerData: { mode }, env: { ...process.env, ...env }, stderr: true });
  worker.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => void worker.terminate());
}

/** The nice value of the process's main thread (tid = pid). */
function mainThreadNice(): number {
  const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe.runIf(process.platform === 'linux')('background priority', () => {
  it('lowers the calling worker thread alone, never the main thread', async () => {
    const before = mainThreadNice();
    const r = await probe<{ lowered: boolean; nice: number }>('lower-self');
    expect(r).toEqual({ lowered: true, nice: BACKGROUND_NICE });
    expect(mainThreadNice()).toBe(before);
  });

  it('threads a lowered thread starts afterwards are lowered too (extraction and gradient workers)', async () => {
    const r = await probe<{ nice: number; childNice: number }>('child-inherits');
    expect(r).toEqual({ nice: BACKGROUND_NICE, childNice: BACKGROUND_NICE });
  });

  it('HOLDOUT_BACKGROUND_NICE=0 keeps background work at normal priority', async () => {
    const r = await probe<{ lowered: boolean; nice: number }>('lower-self', { HOLDOUT_BACKGROUND_NICE: '0' });
    expect(r).toEqual({ lowered: false, nice: 0 });
  });

  it('a wrong HOLDOUT_BACKGROUND_NICE is named on stderr and the default used', async () => {
    const stderr: string[] = [];
    const r = await probe<{ lowered: boolean; nice: number }>('lower-self', { HOLDOUT_BACKGROUND_NICE: 'high' }, stderr);
    expect(r).toEqual({ lowered: true, nice: BACKGROUND_NICE });
    expect(stderr.join('')).toContain('HOLDOUT_BACKGROUND_NICE must be a whole number from 0 to 19, got "high"; using 10');
  });

  it("lowers libvips's helper threads by name, each once, and nothing else", async () => {
    const before = mainThreadNice();
    const r = await probe<{ lowered: number; again: number; threads: { tid: string; name: string; nice: number }[]; pid: number; nice: number }>('libvips');
    const libvips = r.threads.filter((t) => t.name === 'libvips worker');
    expect(libvips.length).toBeGreaterThan(0);
    for (const t of libvips) expect(t.nice, `libvips thread ${t.tid}`).toBeGreaterThanOrEqual(BACKGROUND_NICE);
    expect(r.again).toBe(0);
    // The probe itself was not lowered (its name is not libvips's), nor the main thread.
    expect(r.nice).toBe(0);
    expect(mainThreadNice()).toBe(before);
  });

  // Last: it lowers this test process's helper threads for good (a lowered thread cannot be raised).
  it("lowers libuv's pool and libvips's helpers, by name, and never the main thread", async () => {
    const r = await probe<{ threads: { tid: string; name: string; nice: number }[]; pid: number; names: string[] }>('helpers');
    const main = r.threads.find((t) => t.tid === String(r.pid))!;
    expect(r.names).toEqual(expect.arrayContaining(['libvips worker', 'libuv-worker']));
    const [major, minor] = process.versions.uv.split('.').map(Number);
    const unnamedPool = major === 1 && minor! < 50;
    // Plain Node whose libuv does not name its pool: every helper carries the main thread's name.
    if (unnamedPool) expect(r.names).toContain(main.name);
    expect(main.nice).toBe(0);
    const helpers = r.threads.filter((t) => t.tid !== String(r.pid) && r.names.includes(t.name));
    // libuv's pool alone has 4 threads (UV_THREADPOOL_SIZE), and sharp's work just ran on it.
    expect(helpers.length).toBeGreaterThanOrEqual(4);
    for (const t of helpers) {
      // The probe's own thread was looked at too (it is named like the process): lowered with the others.
      expect(t.nice, `${t.name} ${t.tid}`).toBeGreaterThanOrEqual(BACKGROUND_NICE);
    }
  });
});
