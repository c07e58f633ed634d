#!/usr/bin/env node
// Entry of the `holdout` command. Runs the built engine (dist/); builds it first when
// this checkout has not been built yet.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
