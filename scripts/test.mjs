// `npm test`: everything CI checks, in one command that sets up what it needs.
//   1. find (or install) Chromium for the browser tests
//   2. build the app (the CLI and browser tests run the built code)
//   3. type-check (tsc for electron/, test/, bench/; svelte-check for the renderer)
//   4. run every test (vitest: unit, integration, end-to-end in Chromium)
// and end with one plain line "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium, HOW_TO_GET_CHROMIUM } from './find-chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const started = Date.now();

function step(title, cmd, args, env = process.env) {
  const t = Date.now();
  console.error(`\n▶ ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  console.error(`  ${title}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

const chromium = findChromium();
if (!chromium) {
  console.error(HOW_TO_GET_CHROMIUM);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const env = { ...process.env, HOLDOUT_CHROMIUM: chromium };

if (!step('build', process.execPath, [path.join(root, 'scripts', 'build.mjs')])) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const typesOk =
  step('type-check (tsc)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']) &&
  step('type-check (svelte-check)', bin('svelte-check'), ['--tsconfig', 'renderer/tsconfig.json', '--threshold', 'error', '--output', 'human']);

const report = path.join(root, 'test-results', 'vitest.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.rmSync(report, { force: true });
const extra = process.argv.slice(2);
const vitestOk = step('tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra], env);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  // A file that failed without a failing test (an error while loading it) counts once.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  failed = r.numFailedTests + brokenFiles;
  skipped = r.numPendingTests + r.numTodoTests;
} catch {
  failed += 1; // no report: vitest itself failed
}
if (!typesOk) failed += 1;
// Vitest fails the run for errors outside any test (an unhandled rejection) too.
if (!vitestOk && failed === 0) failed += 1;
console.error(`\nnpm test: ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
