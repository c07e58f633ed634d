#!/usr/bin/env node
// Entry of the `holdout` command. Runs the built engine (dist/); builds it first when
// this checkout has not been built yet.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// sharp runs on libuv's thread pool, shared by every worker thread; its default of 4
// would idle the cores of a bigger machine. It must be set before the pool first starts.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, os.availableParallelism()));

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'dist', 'electron', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('holdout: first run in this checkout, building (npm run build)…\n');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('holdout: the build failed; run `npm install` then `npm run build` and try again.\n');
    process.exit(1);
  }
}
const { run } = await import(pathToFileURL(entry).href);
await run(process.argv.slice(2));
