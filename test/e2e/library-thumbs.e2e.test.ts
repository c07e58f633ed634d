// When the Library grid fetches thumbnails, in a real Chromium against the real
// `holdout serve`, on a 20,000-image project: a tile gets its <img> src only once it
// has been on screen for a frame, so a fast sweep through the grid (a jump every frame)
// starts no requests for the tiles it flies past, and the rows the virtual list keeps
// just outside the scroll box fetch nothing. (At 100,000 images, ~1,400 requests of
// tiles long gone once queued ahead of the 47 on screen: bench/load.ts.) The project is
// made by test/helpers/synthetic-project.ts. Needs the built app (npm run build).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeSyntheticProject } from '../helpers/synthetic-project.js';
import type { BrowserHandle } from './helpers/browser.js';
import type { ServeHandle } from './helpers/serve.js';
import { openE2eSession, type E2eSession } from './helpers/session.js';

const TOTAL = 20_000;

let session: E2eSession | undefined;
let server: ServeHandle | undefined;
let browser: BrowserHandle | undefined;
let page: Page;

/** The grid's scrolling element (the virtual list inside it), as page-side code. */
const SCROLLER = `(() => {
  const g = document.querySelector('[data-testid="grid"]');
  return [g, ...g.querySelectorAll('*')].find((e) => /(auto|scroll)/.test(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight);
})()`;

/** Tiles with a src, split by whether they are inside the scroll box; and how many are inside. */
function srcCensus(p: Page): Promise<{ inside: number; insideWithSrc: number; outsideWithSrc: number }> {
  return p.evaluate(`(() => {
    const box = ${SCROLLER}.getBoundingClientRect();
    const out = { inside: 0, insideWithSrc: 0, outsideWithSrc: 0 };
    for (const img of document.querySelectorAll('[data-testid="tile"] img')) {
      const r = img.getBoundingClientRect();
      const inside = r.bottom > box.top && r.top < box.bottom;
      if (inside) out.inside += 1;
      if (img.hasAttribute('src')) inside ? (out.insideWithSrc += 1) : (out.outsideWithSrc += 1);
    }
    return out;
  })()`);
}

describe('Library grid thumbnails', () => {
  beforeAll(async () => {
    session = await openE2eSession({
      prefix: 'holdout-e2e-thumbs-',
      prepare: async (tmp) => {
        await makeSyntheticProject(path.join(tmp, 'project'), TOTAL);
        return path.join(tmp, 'project');
      },
    });
    ({ server, browser, page } = session);
  });

  afterAll(() => session?.close());

  it('loads the thumbnails on screen, and none of the rows kept outside the scroll box', async () => {
    await page.goto(server!.url);
    await expect.poll(() => page.getByTestId('grid-count').innerText(), { timeout: 10_000 }).toContain('20,000 images');
    await page.evaluate(`(() => { const s = ${SCROLLER}; s.scrollTop = 0.5 * (s.scrollHeight - s.clientHeight); })()`);
    // Every tile on screen gets its thumbnail…
    await expect.poll(async () => {
      const c = await srcCensus(page);
      return c.inside > 0 && c.insideWithSrc === c.inside;
    }, { timeout: 15_000 }).toBe(true);
    // …and the buffer rows the virtual list mounts above and below it fetch nothing.
    const census = await srcCensus(page);
    expect(await page.locator('[data-testid="tile"] img').count(), 'the list keeps rows outside the box').toBeGreaterThan(census.inside);
    expect(census.outsideWithSrc).toBe(0);
  });

  it('starts no thumbnail requests for the tiles a fast sweep flies past', async () => {
    const insideShown = async () => {
      const c = await srcCensus(page);
      return c.inside > 0 && c.insideWithSrc === c.inside;
    };
    const allShown = async () => (await insideShown()) && (await srcCensus(page)).outsideWithSrc === 0;
    // Two places whose pages are loaded (so their tiles mount with a picture to show at once).
    for (const f of [0.25, 0.75]) {
      await page.evaluate(`(() => { const s = ${SCROLLER}; s.scrollTop = ${f} * (s.scrollHeight - s.clientHeight); })()`);
      await expect.poll(insideShown, { timeout: 15_000 }).toBe(true);
    }
    // Back and forth between them, a jump every frame (as dragging the scrollbar does),
    // counting every <img> that gets a src meanwhile (on creation or later).
    const started = (await page.evaluate(`new Promise((resolve) => {
      const s = ${SCROLLER};
      const grid = document.querySelector('[data-testid="grid"]');
      let withSrc = 0;
      const seen = (n) => { if (n.nodeType === 1) for (const img of n.tagName === 'IMG' ? [n] : n.querySelectorAll('img')) if (img.hasAttribute('src')) withSrc += 1; };
      const mo = new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'attributes' && r.target.tagName === 'IMG' && r.target.hasAttribute('src')) withSrc += 1;
          for (const n of r.addedNodes) seen(n);
        }
      });
      mo.observe(grid, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
      let step = 0;
      const tick = () => {
        step += 1;
        s.scrollTop = (step % 2 === 1 ? 0.25 : 0.75) * (s.scrollHeight - s.clientHeight);
        if (step < 20) requestAnimationFrame(tick);
        else { mo.takeRecords(); mo.disconnect(); resolve(withSrc); }
      };
      requestAnimationFrame(tick);
    })`)) as number;
    const mounted = await page.locator('[data-testid="tile"]').count();
    console.log(`library-thumbs: ${started} thumbnails started during 20 jumps, one a frame (${mounted} tiles mounted at a time)`);
    // Each jump remounts every tile; without the frame's wait each of them starts its thumbnail.
    expect(started).toBeLessThan(mounted);
    // Where the sweep stopped, the thumbnails still come.
    await expect.poll(allShown, { timeout: 15_000 }).toBe(true);
    expect(browser!.problems).toEqual([]);
  });
});
