// A file the user may not read is listed, not fatal. Root reads anything, so as root
// the import runs in a child process as "nobody".
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../electron/api/schemas.js';
import { tempDir, writePicture } from '../../fixtures/images/make-images.js';
import { spawnImport } from './helpers/child.js';
import { importInto, newProject, removeProject } from './helpers/project.js';

const NOBODY = 65534;
let base: string;
let photos: string;

beforeAll(async () => {
  base = tempDir('holdout-perm-');
  photos = path.join(base, 'photos');
  await writePicture(path.join(photos, 'ok.png'), 'png', { seed: 1 });
  await writePicture(path.join(photos, 'secret.png'), 'png', { seed: 2 });
  fs.chmodSync(path.join(photos, 'secret.png'), 0o000);
  // World-readable photos and a world-writable place for the child's project.
  fs.chmodSync(base, 0o777);
  fs.chmodSync(photos, 0o755);
  fs.chmodSync(path.join(photos, 'ok.png'), 0o644);
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('unreadable file', () => {
  it('is listed with "permission denied" and the rest imports', async () => {
    let summary: ImportSummary | null;
    if (process.getuid?.() === 0) {
      const { finished } = spawnImport(path.join(base, 'project'), photos, undefined, { uid: NOBODY, gid: NOBODY });
      summary = await finished;
    } else {
      const project = newProject();
      try {
        summary = await importInto(project, { kind: 'folder', folder: photos });
      } finally {
        removeProject(project);
      }
    }
    expect(summary).toMatchObject({ status: 'done', imported: 1 });
    expect(summary!.errors).toEqual([
      { path: path.join(photos, 'secret.png'), reason: "unreadable: permission denied (check the file's permissions)" },
    ]);
  });
});
