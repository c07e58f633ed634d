// Temporary folders for tests, removed when the test file ends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export function tempDirFactory(prefix = 'holdout-test-'): (name?: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  });
  return (name?: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix + (name ? `${name}-` : '')));
    made.push(d);
    return d;
  };
}
