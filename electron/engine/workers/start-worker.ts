// Starts a worker_threads worker whose script sits next to the calling module.
// In the built app (scripts/build.mjs: one .js per .ts, same layout) that is the .js
// sibling. Under vitest and tsx the caller is a .ts source, and a Worker cannot load
// TypeScript by itself (Node 20 ignores `--import tsx` in a worker's execArgv), so the
// worker first registers tsx's ESM hooks and then imports the .ts script.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

let tsxApiUrl: string | undefined;

/** The URL of tsx's ESM registration API, found through its package.json (never a guess at its layout). */
function tsxRegisterUrl(): string {
  if (tsxApiUrl) return tsxApiUrl;
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('tsx/package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import?: string | { default?: string } }>;
  };
  const entry = pkg.exports['./esm/api']?.import;
  const rel = typeof entry === 'string' ? entry : entry?.default;
  if (!rel) throw new Error('tsx has no ./esm/api export: cannot run TypeScript workers');
  tsxApiUrl = pathToFileURL(path.join(path.dirname(pkgFile), rel)).href;
  return tsxApiUrl;
}

/**
 * @param callerUrl the caller's `import.meta.url`
 * @param script the worker's path relative to the caller, without extension (e.g. './image-worker')
 */
export function startWorker(callerUrl: string, script: string, options: WorkerOptions = {}): Worker {
  const isSource = new URL(callerUrl).pathname.endsWith('.ts');
  const target = new URL(`${script}.${isSource ? 'ts' : 'js'}`, callerUrl);
  if (!isSource) return new Worker(target, options);
  const bootstrap =
    `import(${JSON.stringify(tsxRegisterUrl())})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(target.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
