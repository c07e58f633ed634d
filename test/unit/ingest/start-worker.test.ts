import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorker } from '../../../electron/engine/workers/start-worker.js';
import { tempDir } from '../../fixtures/images/make-images.js';

let dir: string;
beforeEach(() => {
  dir = tempDir();
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}'); // as in the repository
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function firstMessage(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => void worker.terminate());
}

describe('startWorker', () => {
  it('starts the .js sibling of a built (.js) caller', async () => {
    fs.writeFileSync(path.join(dir, 'echo.js'), "import { parentPort } from 'node:worker_threads'; parentPort.postMessage('js');\n");
    const caller = pathToFileURL(path.join(dir, 'caller.js')).href;
    expect(await firstMessage(startWorker(caller, './echo'))).toBe('js');
  });

  it('starts the .ts sibling of a TypeScript caller through tsx', async () => {
    fs.writeFileSync(
      path.join(dir, 'echo.ts'),
      "import { parentPort, workerData } from 'node:worker_threads';\nconst n: number = workerData.n;\nparentPort!.postMessage(n * 2);\n",
    );
    const caller = pathToFileURL(path.join(dir, 'caller.ts')).href;
    expect(await firstMessage(startWorker(caller, './echo', { workerData: { n: 21 } }))).toBe(42);
  });
});
