// npm run bench -- load
// 100,000 images imported and labeled while the UI stays responsive, and the memory of
// the main process during a long training run (issue 9, item 6). Everything real: the
// images are PNGs made with sharp (bench/helpers/load-images.ts, cached under the
// system's temporary folder), the server is the real `holdout serve` (the web bridge:
// what the desktop main process runs), the UI is the built app in Debian's Chromium.
// Every step is done FROM THE UI, as a person would, with the Library open:
//   import — the Import dialog, "a folder with one sub-folder per class" (the folder
//            names label all the images), then Hide, so the Library is on screen and
//            updating while the import runs; a wheel scroll every 2 s meanwhile;
//   scroll — the Library at full size: 60 wheel steps, then jumps to 25/50/75/100/0 %
//            timed until every visible thumbnail is decoded;
//   label  — bulk labeling: click the first image, scroll to the last, shift-click it
//            (marks all of them), press 2 (all become the second class), Ctrl+Z (undo);
//   split  — the Split screen's preview, then Save;
//   train  — the Train screen: epochs 10,000, early stopping off, Start, and the
//            dashboard kept open for HOLDOUT_LOAD_TRAIN_SECONDS (600; 60 when quick),
//            then Stop. At 100,000 images that is inside the first epoch;
//   long training — so memory over MANY epochs is measured on a SEPARATE small project
//            (its own serve): HOLDOUT_LOAD_LONG_COUNT images (1,500) of the same set,
//            imported, split and trained from the UI the same way with 300 epochs and
//            early stopping off, for at most HOLDOUT_LOAD_LONG_SECONDS (600; 60 when
//            quick; 0 skips it).
// Measured in the page: long tasks (PerformanceObserver 'longtask', buffered) and
// requestAnimationFrame gaps per phase, with a V8 CPU profile of each phase to say
// where any long task comes from (the .cpuprofile files are kept for DevTools). In the
// serve process (ServeHandle.pid): RSS from /proc/<pid>/status every second, its peak
// and the slope over the second half of training (MB/min: flat when nothing leaks).
// Environment: HOLDOUT_LOAD_COUNT (100000), HOLDOUT_LOAD_QUICK=1 (a smoke run: 60 s of
// training), HOLDOUT_LOAD_TRAIN_SECONDS, HOLDOUT_LOAD_LONG_COUNT, HOLDOUT_LOAD_LONG_SECONDS,
// HOLDOUT_LOAD_PHASES (e.g. "import" or "import,scroll": only these phases and the
// ones they need; the figures of the others are left out of the JSON line), HOLDOUT_CHROMIUM. Progress on stderr; the last
// stdout line is {"bench":"load", …}.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { createProject } from '../electron/engine/project/project.js';
import { launchBrowser, type BrowserHandle } from '../test/e2e/helpers/browser.js';
import { startServe, type ServeHandle } from '../test/e2e/helpers/serve.js';
import { loadImagesFolder, LOAD_CLASSES } from './helpers/load-images.js';
import { startMemorySampler, summarizeMemory } from './helpers/load-memory.js';
import { installMonitor, PhaseMonitor, type PhaseFigures } from './helpers/load-monitor.js';
import { jumpTimes, scrollToFraction, wheelScroll } from './helpers/load-scroll.js';

const root = path.resolve(import.meta.dirname, '..');
const COUNT = Number(process.env.HOLDOUT_LOAD_COUNT ?? 100_000);
const QUICK = process.env.HOLDOUT_LOAD_QUICK === '1';
const TRAIN_SECONDS = Number(process.env.HOLDOUT_LOAD_TRAIN_SECONDS ?? (QUICK ? 60 : 600));
const LONG_COUNT = Number(process.env.HOLDOUT_LOAD_LONG_COUNT ?? 1500);
const LONG_SECONDS = Number(process.env.HOLDOUT_LOAD_LONG_SECONDS ?? (QUICK ? 60 : 600));
const LONG_EPOCHS = 300;
const LONG = { timeout: 60 * 60_000 };
const PHASE_NAMES = ['import', 'scroll', 'label', 'split', 'train', 'long'] as const;
const PHASES = new Set((process.env.HOLDOUT_LOAD_PHASES ?? PHASE_NAMES.join(',')).split(',').map((s) => s.trim()).filter(Boolean));
for (const p of PHASES) if (!(PHASE_NAMES as readonly string[]).includes(p)) throw new Error(`HOLDOUT_LOAD_PHASES: unknown phase "${p}" (the phases: ${PHASE_NAMES.join(', ')})`);
// Every phase but the long training needs the imported images, and training needs a split.
PHASES.add('import');
if (PHASES.has('train')) PHASES.add('split');
const TRACE_CAP_SECONDS = 240;
const outDir = path.join(root, '.cache', 'bench', 'load');
const fmt = (n: number) => n.toLocaleString('en');

function log(msg: string): void {
  process.stderr.write(`bench load: ${msg}\n`);
}

if (!Number.isInteger(COUNT) || COUNT < LOAD_CLASSES.length * 10) throw new Error(`HOLDOUT_LOAD_COUNT must be a whole number of at least ${LOAD_CLASSES.length * 10}`);
if (!Number.isInteger(LONG_COUNT) || LONG_COUNT < LOAD_CLASSES.length * 10) throw new Error(`HOLDOUT_LOAD_LONG_COUNT must be a whole number of at least ${LOAD_CLASSES.length * 10}`);
if (!(LONG_SECONDS >= 0)) throw new Error('HOLDOUT_LOAD_LONG_SECONDS must be a number of seconds, 0 or more');
if (!fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  log('building first (npm run build)…');
  spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}

/** Clicks `control` unless `done` shows first; says which happened. */
async function clickUnless(control: Locator, done: Locator): Promise<'clicked' | 'done'> {
  const clicked = control.click(LONG).then(() => 'clicked' as const);
  const ended = done.waitFor(LONG).then(() => 'done' as const);
  clicked.catch(() => undefined);
  ended.catch(() => undefined);
  return Promise.race([clicked, ended]);
}

async function importPhase(page: Page, folder: string, count: number): Promise<Record<string, unknown>> {
  await page.getByTestId('open-import').click();
  const dialog = page.getByTestId('import-dialog');
  await dialog.getByLabel('A folder with one sub-folder per class').check();
  await dialog.locator('#import-path').fill(folder);
  const started = performance.now();
  await dialog.getByTestId('start-import').click();
  const report = page.getByTestId('import-report');
  const hidden = await clickUnless(dialog.getByRole('button', { name: 'Hide' }), report);
  log(`import started from the dialog; ${hidden === 'clicked' ? 'hidden: the Library is on screen' : 'it ended before Hide'}`);
  // A person browsing the Library while the import runs: a wheel step every 2 s.
  let browsing = hidden === 'clicked';
  const browse = (async () => {
    const grid = page.getByTestId('grid');
    while (browsing) {
      if ((await grid.count()) > 0) {
        const box = await grid.boundingBox().catch(() => null);
        if (box) {
          await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
          await page.mouse.wheel(0, 600);
        }
      }
      await page.waitForTimeout(2000);
    }
  })();
  let lastLog = 0;
  /** The top bar's image count each time it changed during the import: it should grow with it, not jump at the end. */
  const counts: { s: number; images: number }[] = [];
  const progress = (async () => {
    while (browsing) {
      const shown = await page.getByTestId('project-count').innerText().catch(() => '');
      const images = Number(shown.replace(/[^0-9]/g, ''));
      if (shown && images !== counts.at(-1)?.images) counts.push({ s: Math.round((performance.now() - started) / 100) / 10, images });
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        const chip = await page.getByTestId('import-chip').innerText().catch(() => '');
        log(`  ${((performance.now() - started) / 1000).toFixed(0)} s: ${chip.replace(/\s+/g, ' ')} · ${shown}`);
      }
      await page.waitForTimeout(1000);
    }
  })();
  await report.waitFor(LONG);
  const seconds = (performance.now() - started) / 1000;
  browsing = false;
  await Promise.all([browse, progress]);
  const headline = (await dialog.getByTestId('import-headline').innerText()).replace(/\s+/g, ' ');
  log(`import: ${headline} in ${seconds.toFixed(1)} s`);
  await dialog.getByTestId('import-done').click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByTestId('project-count').filter({ hasText: `${fmt(count)} images` }).waitFor(LONG);
  if (!headline.includes(`Imported ${fmt(count)} new images`)) throw new Error(`the import did not bring in all ${count} images: ${headline}`);
  return { seconds: Math.round(seconds * 10) / 10, images_per_second: Math.round(count / seconds), headline, library_counts_seen: counts };
}

async function scrollPhase(page: Page): Promise<Record<string, unknown>> {
  await page.getByTestId('grid-count').filter({ hasText: fmt(COUNT) }).waitFor(LONG);
  await scrollToFraction(page, 0);
  const wheel = await wheelScroll(page, 60, 800);
  const jumps = await jumpTimes(page, COUNT, [0.25, 0.5, 0.75, 1, 0]);
  log(`scroll: 60 wheel steps in ${wheel.ms} ms; jumps painted in ${jumps.map((j) => `${j.ms} ms`).join(', ')}`);
  return { wheel_steps: 60, wheel_ms: wheel.ms, jumps };
}

async function labelPhase(page: Page): Promise<Record<string, unknown>> {
  const status = page.getByTestId('label-status');
  await scrollToFraction(page, 0);
  await page.locator('[data-testid="tile"][data-index="0"]').click();
  await scrollToFraction(page, 1);
  const last = page.locator(`[data-testid="tile"][data-index="${COUNT - 1}"]`);
  await last.waitFor();
  let t = performance.now();
  await last.click({ modifiers: ['Shift'] });
  await page.getByTestId('selection-count').filter({ hasText: `${fmt(COUNT)} images marked` }).waitFor(LONG);
  const markMs = performance.now() - t;
  t = performance.now();
  await page.keyboard.press('2');
  await status.filter({ hasText: /Labeled [\d,]+ images/ }).waitFor(LONG);
  const labelMs = performance.now() - t;
  const said = await status.innerText();
  t = performance.now();
  await page.keyboard.press('Control+z');
  await status.filter({ hasText: /Undid/ }).waitFor(LONG);
  const undoMs = performance.now() - t;
  log(`label: marked all ${fmt(COUNT)} in ${markMs.toFixed(0)} ms, "${said}" in ${labelMs.toFixed(0)} ms, undone in ${undoMs.toFixed(0)} ms`);
  // Every class is back to its folder's share.
  const perClass = COUNT / LOAD_CLASSES.length;
  for (const cls of LOAD_CLASSES) {
    const n = page.locator(`[data-testid="filter-class"][data-class="${cls}"] [data-testid="count"]`);
    await n.filter({ hasText: new RegExp(`^${fmt(Math.floor(perClass))}$|^${fmt(Math.ceil(perClass))}$`) }).waitFor();
  }
  return { mark_all_ms: Math.round(markMs), label_all_ms: Math.round(labelMs), undo_ms: Math.round(undoMs), said };
}

async function splitPhase(page: Page): Promise<Record<string, unknown>> {
  const t = performance.now();
  await page.getByTestId('tab-split').click();
  await page.getByTestId('split-view').waitFor();
  await page.getByTestId('preview-status').filter({ hasText: /seed/ }).waitFor(LONG);
  const previewMs = performance.now() - t;
  await page.getByTestId('save-split').click();
  await page.getByTestId('saved-note').waitFor(LONG);
  const ms = performance.now() - t;
  log(`split: preview in ${previewMs.toFixed(0)} ms, saved in ${ms.toFixed(0)} ms`);
  return { preview_ms: Math.round(previewMs), saved_ms: Math.round(ms) };
}

interface TrainPlan {
  epochs: number;
  /** How long the dashboard stays open before Stop (less when the run ends first). */
  seconds: number;
  /** When Start is clicked, and when Stop is (the memory of a run, not of its ending). */
  onStarted: () => void;
  onStopping: () => void;
}

async function trainPhase(page: Page, plan: TrainPlan): Promise<Record<string, unknown>> {
  await page.getByTestId('tab-train').click();
  await page.getByTestId('train-view').waitFor();
  await page.getByTestId('train-reason').filter({ hasText: /\S/ }).waitFor(LONG);
  await page.getByTestId('train-epochs').fill(String(plan.epochs));
  await page.getByTestId('train-advanced-toggle').click();
  await page.getByTestId('train-earlyStop').uncheck();
  const reason = await page.getByTestId('train-reason').innerText();
  await page.getByTestId('train-start').click();
  plan.onStarted();
  const started = performance.now();
  const status = page.getByTestId('train-run-status');
  await status.filter({ hasText: 'training' }).waitFor(LONG);
  log(`train: started (${reason.replace(/\s+/g, ' ')}); ${plan.epochs} epochs; dashboard open for up to ${plan.seconds} s`);
  let nextLog = 60;
  let ended = false;
  while ((performance.now() - started) / 1000 < plan.seconds) {
    await page.waitForTimeout(5000);
    if (/completed|stopped|failed|interrupted/.test(await status.innerText())) {
      ended = true;
      break;
    }
    const s = (performance.now() - started) / 1000;
    if (s >= nextLog) {
      nextLog += 60;
      const epochs = await page.getByTestId('epoch-row').count();
      const speed = await page.getByTestId('train-speed').innerText().catch(() => '');
      log(`  ${s.toFixed(0)} s: ${await status.innerText()}, ${epochs} epochs, ${speed.replace(/\s+/g, ' ')}`);
    }
  }
  const epochs = await page.getByTestId('epoch-row').count();
  const speed = (await page.getByTestId('train-speed').innerText().catch(() => '')).replace(/\s+/g, ' ');
  const backend = await page.getByTestId('train-run-backend').innerText().catch(() => '');
  plan.onStopping();
  if (!ended) {
    await page.getByTestId('train-stop').click();
    await status.filter({ hasText: /stopped|completed/ }).waitFor(LONG);
  }
  const outcome = await status.innerText();
  log(`train: ${outcome} after ${((performance.now() - started) / 1000).toFixed(0)} s, ${epochs} epochs, ${speed}`);
  return { seconds: Math.round((performance.now() - started) / 1000), epochs_finished: epochs, outcome, speed, backend, suggestion: reason };
}

/**
 * Memory over many epochs, on a separate small project with its own server: import,
 * split and train from the UI, RSS of that server sampled every second.
 */
async function longTraining(folder: string, tmp: string): Promise<Record<string, unknown>> {
  const projectDir = path.join(tmp, 'long-project');
  createProject(projectDir, 'Long training').close();
  let server: ServeHandle | undefined;
  let browser: BrowserHandle | undefined;
  try {
    server = await startServe({ settingsDir: path.join(tmp, 'long-settings'), project: projectDir, timeoutMs: 60_000 });
    const memory = startMemorySampler(server.pid);
    browser = await launchBrowser({ width: 1400, height: 1000 });
    const page = browser.page;
    page.setDefaultTimeout(120_000);
    await page.goto(server.url);
    await page.getByTestId('library-empty').waitFor();
    memory.setPhase('long-import');
    const imported = await importPhase(page, folder, LONG_COUNT);
    memory.setPhase('long-split');
    await splitPhase(page);
    memory.setPhase('long-setup');
    const train = await trainPhase(page, {
      epochs: LONG_EPOCHS,
      seconds: LONG_SECONDS,
      onStarted: () => memory.setPhase('long-train'),
      onStopping: () => memory.setPhase('long-stopping'),
    });
    memory.stop();
    fs.writeFileSync(path.join(outDir, 'long-memory.json'), JSON.stringify(memory.samples));
    const summary = summarizeMemory(memory.samples, 'long-train');
    const run = summary['long-train'] as { peak_rss_mb: number | null; second_half_slope_mb_per_min: number };
    log(`long training: ${train.epochs_finished} epochs in ${train.seconds} s; serve RSS peak ${run.peak_rss_mb} MB, second half ${run.second_half_slope_mb_per_min} MB/min`);
    const result: Record<string, unknown> = { images: LONG_COUNT, epochs_planned: LONG_EPOCHS, import_seconds: imported.seconds, train, serve_memory: summary };
    if (browser.problems.length > 0) result.page_problems = browser.problems.slice(0, 10);
    return result;
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

/** /proc/sys/kernel/sched_autogroup_enabled: 1, 0, or null where there is none. */
function schedAutogroup(): number | null {
  try {
    return Number(fs.readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim());
  } catch {
    return null;
  }
}

/** Every phase against a fresh project in `tmp`; the figures. */
async function measure(folder: string, tmp: string): Promise<Record<string, unknown>> {
  const settingsDir = path.join(tmp, 'settings');
  const projectDir = path.join(tmp, 'project');
  createProject(projectDir, 'Load').close();
  let server: ServeHandle | undefined;
  let browser: BrowserHandle | undefined;
  const loadAverage: Record<string, number> = {};
  const result: Record<string, unknown> = {
    bench: 'load',
    images: COUNT,
    quick: QUICK,
    cores: os.availableParallelism(),
    // Whether the server's background threads (nice 10 unless HOLDOUT_BACKGROUND_NICE says)
    // compete with the browser at all: with Linux's autogroup on, the browser (its own
    // session) and the server are scheduled apart and nice values only order each side's
    // own threads; the desktop app's processes are one group, as with autogroup off.
    sched_autogroup: schedAutogroup(),
    background_nice: process.env.HOLDOUT_BACKGROUND_NICE ?? '10 (default)',
    load_average_at_phase_end: loadAverage,
  };
  try {
    server = await startServe({ settingsDir, project: projectDir, timeoutMs: 60_000 });
    const memory = startMemorySampler(server.pid);
    browser = await launchBrowser({ width: 1400, height: 1000 });
    await installMonitor(browser.context);
    const page = browser.page;
    page.setDefaultTimeout(120_000);
    fs.rmSync(outDir, { recursive: true, force: true });
    const monitor = new PhaseMonitor(page, outDir);
    await page.goto(server.url);
    await page.getByTestId('library-empty').waitFor();

    // Traces are capped (TRACE_CAP_SECONDS): a trace grows ~0.2–1 MB/s and is read whole.
    const phase = async <T>(name: string, fn: () => Promise<T>, traceSeconds: number = TRACE_CAP_SECONDS): Promise<T> => {
      memory.setPhase(name);
      await monitor.begin(name, traceSeconds);
      try {
        return await fn();
      } finally {
        await monitor.end();
        // How busy the machine was (1-minute load average; a task waits for a core when it is over the core count).
        loadAverage[name] = Math.round(os.loadavg()[0]! * 10) / 10;
      }
    };
    result.import = await phase('import', () => importPhase(page, folder, COUNT));
    if (PHASES.has('scroll')) result.scroll = await phase('scroll', () => scrollPhase(page));
    if (PHASES.has('label')) result.label = await phase('label', () => labelPhase(page));
    if (PHASES.has('split')) result.split = await phase('split', () => splitPhase(page));
    if (PHASES.has('train')) {
      memory.setPhase('train-setup');
      // The trace covers the start of training and the first batches; the observer and the profile cover all of it.
      const plan = { epochs: 10_000, seconds: TRAIN_SECONDS, onStarted: () => memory.setPhase('train'), onStopping: () => memory.setPhase('train-stopping') };
      result.train = await phase('train', () => trainPhase(page, plan), Math.min(TRAIN_SECONDS, 150));
    }
    memory.setPhase('after');
    const { observerError, phases } = await monitor.figures();
    memory.stop();
    if (observerError) throw new Error(`the long-task observer did not start: ${observerError}`);
    result.ui = phases;
    result.serve_memory = summarizeMemory(memory.samples, 'train');
    fs.writeFileSync(path.join(outDir, 'memory.json'), JSON.stringify(memory.samples));
    result.profiles_dir = outDir;
    if (browser.problems.length > 0) result.page_problems = browser.problems.slice(0, 10);
    return result;
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

const images = await loadImagesFolder(COUNT, log);
if (images.madeSeconds !== null) log(`made ${COUNT} images in ${images.madeSeconds.toFixed(1)} s`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-bench-load-'));
try {
  const result = await measure(images.dir, tmp);
  if (LONG_SECONDS > 0 && PHASES.has('long')) {
    // The same generated set, a folder of its own size (made once and cached like the other).
    const small = await loadImagesFolder(LONG_COUNT, log);
    result.long_training = await longTraining(small.dir, tmp);
  }
  for (const [name, f] of Object.entries(result.ui as Record<string, PhaseFigures>)) {
    const cpu = f.trace ? `; by CPU time (trace of ${f.trace.seconds} s): longest ${f.trace.longest_cpu_ms} ms, ${f.trace.tasks_cpu_over_50ms} > 50 ms, ${f.trace.tasks_cpu_over_100ms} > 100 ms` : '';
    log(`${name}: longest task ${f.longest_task_ms} ms, ${f.tasks_over_50ms} > 50 ms, ${f.tasks_over_100ms} > 100 ms, longest frame gap ${f.longest_frame_gap_ms} ms${cpu}`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  // After the figures: removing 100,000 thumbnails takes minutes on a loaded machine.
  log(`removing the project (${tmp})…`);
  fs.rmSync(tmp, { recursive: true, force: true });
}
