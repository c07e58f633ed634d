import { describe, expect, it } from 'vitest';
import { PageCache, type PageResult } from '../../../renderer/src/lib/grid/page-cache.js';

interface Call {
  filter: string;
  offset: number;
  limit: number;
  resolve: (r: PageResult<number>) => void;
  reject: (e: unknown) => void;
}

/** A loader whose answers the test releases by hand; items are their own index. */
function manualLoader(total: number) {
  const calls: Call[] = [];
  const load = (filter: string, offset: number, limit: number) =>
    new Promise<PageResult<number>>((resolve, reject) => {
      calls.push({ filter, offset, limit, resolve, reject });
    });
  const answer = (call: Call) => {
    const items: number[] = [];
    for (let i = call.offset; i < Math.min(total, call.offset + call.limit); i++) items.push(i);
    call.resolve({ total, offset: call.offset, items });
  };
  return { calls, load, answer };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function cache(total: number, extra: Partial<ConstructorParameters<typeof PageCache<string, number>>[0]> = {}) {
  const loader = manualLoader(total);
  const c = new PageCache<string, number>({ load: loader.load, keyOf: (f) => f, pageSize: 100, ...extra });
  return { c, ...loader };
}

describe('PageCache', () => {
  it('loads the pages covering the wanted range plus one ahead, then answers tiles', async () => {
    const { c, calls, answer } = cache(1000);
    c.want('all', 0, 1);
    expect(calls.map((x) => x.offset)).toEqual([0, 100]);
    expect(c.tile('all', 5)).toBeUndefined();
    expect(c.total('all')).toBeUndefined();
    answer(calls[0]!);
    await flush();
    expect(c.total('all')).toBe(1000);
    expect(c.tile('all', 5)).toBe(5);
    expect(c.tile('all', 99)).toBe(99);
    expect(c.tile('all', 100)).toBeUndefined();
  });

  it('does not ask twice for a page that is loaded or on its way', async () => {
    const { c, calls, answer } = cache(1000);
    c.want('all', 0, 50);
    c.want('all', 10, 60);
    expect(calls.length).toBe(2);
    answer(calls[0]!);
    answer(calls[1]!);
    await flush();
    c.want('all', 0, 150);
    expect(calls.map((x) => x.offset)).toEqual([0, 100, 200]);
  });

  it('keys pages by filter: the same offset under another filter is another page', async () => {
    const { c, calls, answer } = cache(1000);
    c.want('a', 0, 1);
    c.want('b', 0, 1);
    expect(calls.filter((x) => x.offset === 0).map((x) => x.filter)).toEqual(['a', 'b']);
    answer(calls.find((x) => x.filter === 'a' && x.offset === 0)!);
    await flush();
    expect(c.tile('a', 3)).toBe(3);
    expect(c.tile('b', 3)).toBeUndefined();
  });

  it('keeps at most maxInFlight requests and drops stale wishes when the view moves on', async () => {
    const { c, calls, answer } = cache(100_000, { maxInFlight: 2 });
    c.want('all', 0, 400); // pages 0..300 + 400 ahead: 5 wanted, 2 started
    expect(calls.map((x) => x.offset)).toEqual([0, 100]);
    c.want('all', 50_000, 50_100); // scrolled far: the unstarted wishes are forgotten
    answer(calls[0]!);
    await flush();
    expect(calls.map((x) => x.offset)).toEqual([0, 100, 50_000]);
    answer(calls[1]!);
    await flush();
    expect(calls.map((x) => x.offset)).toEqual([0, 100, 50_000, 50_100]);
  });

  it('does not look ahead past the end once the total is known', async () => {
    const { c, calls, answer } = cache(150);
    c.want('all', 0, 1);
    answer(calls[0]!);
    answer(calls[1]!);
    await flush();
    c.want('all', 100, 150);
    expect(calls.length).toBe(2);
    expect(c.tile('all', 149)).toBe(149);
  });

  it('evicts the least recently used pages beyond maxPages', async () => {
    const { c, calls, answer } = cache(10_000, { maxPages: 3, maxInFlight: 10 });
    for (const start of [0, 1000, 2000]) {
      c.want('all', start, start + 1);
      for (const call of calls.splice(0)) answer(call);
      await flush();
    }
    // Loaded: 0,100 (then 1000,1100, then 2000,2100) — but only 3 survive.
    expect(c.size).toBe(3);
    expect(c.tile('all', 2000)).toBe(2000);
    expect(c.tile('all', 0)).toBeUndefined();
  });

  it('clear() drops everything and ignores answers to older requests', async () => {
    const { c, calls, answer } = cache(1000);
    c.want('all', 0, 1);
    const old = calls.splice(0);
    c.clear();
    answer(old[0]!);
    await flush();
    expect(c.tile('all', 0)).toBeUndefined();
    expect(c.total('all')).toBeUndefined();
    c.want('all', 0, 1);
    expect(calls.map((x) => x.offset)).toEqual([0, 100]);
  });

  it('reports a failed page and asks again next time', async () => {
    const errors: unknown[] = [];
    const { c, calls, answer } = cache(1000, { onError: (e) => errors.push(e) });
    c.want('all', 0, 1);
    calls[0]!.reject(new Error('boom'));
    await flush();
    expect(errors).toHaveLength(1);
    c.want('all', 0, 1);
    const retry = calls.filter((x) => x.offset === 0);
    expect(retry).toHaveLength(2);
    answer(retry[1]!);
    await flush();
    expect(c.tile('all', 0)).toBe(0);
  });

  it('stores pages in the map it is given (the UI passes a reactive one)', async () => {
    const pages = new Map();
    const totals = new Map<string, number>();
    const { c, calls, answer } = cache(10, { pages, totals });
    c.want('x', 0, 1);
    answer(calls[0]!);
    await flush();
    expect([...pages.keys()]).toEqual(['x@0']);
    expect(totals.get('x')).toBe(10);
  });

  it('invalidate() keeps showing old pages until their new version arrives', async () => {
    const { c, calls, answer } = cache(1000);
    c.want('all', 0, 1);
    for (const call of calls.splice(0)) answer(call);
    await flush();
    expect(c.tile('all', 7)).toBe(7);
    c.invalidate();
    expect(c.tile('all', 7)).toBe(7);
    expect(c.isStale('all', 7)).toBe(true);
    c.want('all', 0, 1);
    expect(calls.map((x) => x.offset)).toEqual([0, 100]);
    calls[0]!.resolve({ total: 1200, offset: 0, items: Array.from({ length: 100 }, (_, i) => i + 5000) });
    await flush();
    expect(c.tile('all', 7)).toBe(5007);
    expect(c.isStale('all', 7)).toBe(false);
    expect(c.total('all')).toBe(1200);
    // A page already fresh is not fetched again.
    c.want('all', 0, 1);
    expect(calls.filter((x) => x.offset === 0)).toHaveLength(1);
  });

  it('ignores answers that were in flight when invalidate() was called', async () => {
    const { c, calls } = cache(1000);
    c.want('all', 0, 1);
    const old = calls.splice(0);
    c.invalidate();
    old[0]!.resolve({ total: 1000, offset: 0, items: [1, 2, 3] });
    await flush();
    expect(c.tile('all', 0)).toBeUndefined();
  });
});
