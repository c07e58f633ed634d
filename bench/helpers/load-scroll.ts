// Scrolling the Library's grid the way a person does (the mouse wheel), and jumping in
// it (dragging the scrollbar), timed until every thumbnail on screen is decoded.
// Page-side code is passed as strings: this file is type-checked without the DOM
// library, and an evaluate through the DevTools protocol is not held by the app's CSP.
import type { Page } from 'playwright-core';

/** The grid's scrolling element (the virtual list inside it). */
const SCROLLER = `(() => {
  const g = document.querySelector('[data-testid="grid"]');
  if (!g) throw new Error('no grid on screen');
  const s = [g, ...g.querySelectorAll('*')].find((e) => /(auto|scroll)/.test(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight);
  if (!s) throw new Error('the grid has nothing to scroll');
  return s;
})()`;

/** Sets the scroll position to `fraction` of the way down (no wait). */
export async function scrollToFraction(page: Page, fraction: number): Promise<void> {
  await page.evaluate(`(() => { const s = ${SCROLLER}; s.scrollTop = ${fraction} * (s.scrollHeight - s.clientHeight); })()`);
  // Two frames: the virtual list renders the rows of the new position.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

/** `steps` wheel steps of `delta` px over the grid, one per ~frame; wall time until the last one is handled. */
export async function wheelScroll(page: Page, steps: number, delta: number): Promise<{ ms: number }> {
  const box = await page.getByTestId('grid').boundingBox();
  if (!box) throw new Error('the grid is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const t = performance.now();
  for (let i = 0; i < steps; i++) {
    await page.mouse.wheel(0, delta);
    await page.waitForTimeout(16);
  }
  return { ms: Math.round(performance.now() - t) };
}

/**
 * For each fraction: set the grid's scroll position there and wait, frame by frame,
 * until the tiles on screen are the ones of that position and every one of them shows
 * its decoded thumbnail. Milliseconds from the jump to that frame.
 */
export async function jumpTimes(page: Page, total: number, fractions: number[]): Promise<{ to: number; ms: number }[]> {
  const out: { to: number; ms: number }[] = [];
  for (const f of fractions) {
    const ms = (await page.evaluate(`new Promise((resolve, reject) => {
      const s = ${SCROLLER};
      const g = document.querySelector('[data-testid="grid"]');
      const target = Math.round(${f} * (${total} - 1));
      const t0 = performance.now();
      s.scrollTop = ${f} * (s.scrollHeight - s.clientHeight);
      const near = Math.max(200, ${total} * 0.01);
      const tick = () => {
        const box = s.getBoundingClientRect();
        const shown = Array.from(g.querySelectorAll('[data-testid="tile"]')).filter((t) => {
          const r = t.getBoundingClientRect();
          return r.bottom > box.top && r.top < box.bottom;
        });
        const there = shown.length > 0 && shown.every((t) => Math.abs(Number(t.dataset.index) - target) < near);
        const painted = there && shown.every((t) => { const i = t.querySelector('img'); return i && i.complete && i.naturalWidth > 0; });
        if (painted) resolve(performance.now() - t0);
        else if (performance.now() - t0 > 30000) reject(new Error('the grid did not paint position ' + target + ' within 30 s'));
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })`)) as number;
    out.push({ to: f, ms: Math.round(ms) });
  }
  return out;
}
