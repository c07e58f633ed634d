// Builds everything the app and the command line run:
//   dist/electron/**  the main process, engine, bridge, CLI and workers (ESM, one file per source)
//   dist/electron/preload/preload.cjs  the preload, bundled (a sandboxed preload cannot import files)
//   dist/renderer/    the Svelte UI (vite)
// Type checking is separate (npm run typecheck) so a build stays a few seconds.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'electron');
const only = process.argv[2]; // 'electron' | 'renderer' | undefined (both)

function listTs(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTs(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

async function buildElectron() {
  fs.rmSync(outDir, { recursive: true, force: true });
  const sources = listTs(path.join(root, 'electron')).filter((f) => !f.includes(`${path.sep}preload${path.sep}`));
  await build({
    entryPoints: sources,
    outdir: outDir,
    outbase: path.join(root, 'electron'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  const preload = path.join(root, 'electron', 'preload', 'preload.ts');
  if (!fs.existsSync(preload)) return;
  await build({
    entryPoints: [preload],
    outfile: path.join(outDir, 'preload', 'preload.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    // The contract brings zod along; minified, the preload stays small to parse at every window start.
    minify: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

function buildRenderer() {
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const started = Date.now();
if (only !== 'renderer') await buildElectron();
if (only !== 'electron' && fs.existsSync(path.join(root, 'renderer', 'vite.config.ts'))) buildRenderer();
console.error(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
