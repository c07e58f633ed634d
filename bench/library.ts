// npm run bench -- library
// Time to open a 100,000-image project and paint the first page of the library grid,
// next to the same for a 1,000-image project in the same run (the ratio says whether
// the size of the project costs anything). Real SQLite, real `holdout serve`, real
// Chromium. Prints one final JSON line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { openProject } from '../electron/engine/project/project.js';
import { CHROMIUM_ARGS } from '../test/e2e/helpers/browser.js';
import { startServe } from '../test/e2e/helpers/serve.js';
import { makeSyntheticProject } from '../test/helpers/synthetic-project.js';

const root = path.resolve(import.meta.dirname, '..');
const cacheDir = path.join(root, '.cache', 'bench', 'library');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM = process.env.HOLDOUT_CHROMIUM || '/usr/bin/chromium';

function log(msg: string): void {
  process.stderr.write(`bench library: ${msg}\n`);
}

async function ensureProject(count: number): Promise<string> {
  const dir = path.join(cacheDir, `p${count}`);
  const marker = path.join(dir, '.complete');
  if (!fs.existsSync(marker)) {
    const t = performance.now();
    await makeSyntheticProject(dir, count);
    fs.writeFileSync(marker, '');
    log(`made a ${count}-image project in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return dir;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Milliseconds to open the project in the engine (schema check, migrations, counts). */
function timeOpen(dir: string): number {
  const t = performance.now();
  const p = openProject(dir);
  p.summary();
  p.classes.list();
  p.images.page({}, 0, 200);
  const ms = performance.now() - t;
  p.close();
  return ms;
}

/** Navigation start to the first grid page painted with every visible thumbnail decoded. */
async function timeFirstPaint(url: string): Promise<{ ms: number; tiles: number }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 860 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    // Checked on every animation frame inside the page; evaluated through the DevTools
    // protocol, so the app's CSP (no eval) does not apply. A string, because this file is
    // type-checked without the DOM library.
    const ms = (await page.evaluate(`new Promise((resolve, reject) => {
      const deadline = performance.now() + 30000;
      const tick = () => {
        const imgs = Array.from(document.querySelectorAll('[data-testid="tile"] img'));
        const grid = document.querySelector('[data-testid="grid"]')?.getBoundingClientRect();
        const visible = grid ? imgs.filter((i) => i.getBoundingClientRect().top < grid.bottom) : [];
        if (visible.length > 0 && visible.every((i) => i.complete && i.naturalWidth > 0)) resolve(performance.now());
        else if (performance.now() > deadline) reject(new Error('the first grid page did not paint within 30 s'));
        else requestAnimationFrame(tick);
      };
      tick();
    })`)) as number;
    const tiles = await page.locator('[data-testid="tile"]').count();
    return { ms, tiles };
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function measure(count: number): Promise<{ openMs: number; firstPaintMs: number; tilesInDom: number }> {
  const dir = await ensureProject(count);
  const opens: number[] = [];
  for (let i = 0; i < RUNS; i++) opens.push(timeOpen(dir));
  const server = await startServe({ settingsDir: fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-bench-settings-')), project: dir });
  const paints: number[] = [];
  let tiles = 0;
  try {
    await timeFirstPaint(server.url); // warm-up: page cache, Chromium start
    for (let i = 0; i < RUNS; i++) {
      const r = await timeFirstPaint(server.url);
      paints.push(r.ms);
      tiles = r.tiles;
    }
  } finally {
    await server.stop();
  }
  log(`${count} images: open ${median(opens).toFixed(1)} ms, first paint ${median(paints).toFixed(0)} ms (runs ${paints.map((p) => p.toFixed(0)).join(', ')})`);
  return { openMs: median(opens), firstPaintMs: median(paints), tilesInDom: tiles };
}

if (!fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  log('building first (npm run build)…');
  const { spawnSync } = await import('node:child_process');
  spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
const small = await measure(1_000);
const large = await measure(100_000);
const result = {
  bench: 'library',
  runs: RUNS,
  images: 100_000,
  open_ms: Number(large.openMs.toFixed(1)),
  first_paint_ms: Math.round(large.firstPaintMs),
  tiles_in_dom: large.tilesInDom,
  baseline_images: 1_000,
  baseline_open_ms: Number(small.openMs.toFixed(1)),
  baseline_first_paint_ms: Math.round(small.firstPaintMs),
  first_paint_ratio: Number((large.firstPaintMs / small.firstPaintMs).toFixed(2)),
  target_first_paint_ms: 1000,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
