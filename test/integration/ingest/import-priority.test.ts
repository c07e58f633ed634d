// An import decodes at background priority (electron/engine/util/background-priority.ts),
// so the window keeps a core on a small machine: while a real import runs, its image
// worker threads and libvips's helper threads are lowered, and the thread that commits
// rows and answers the window (this process's main thread) is not. Linux only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../../electron/engine/project/project.js';
import { BACKGROUND_NICE } from '../../../electron/engine/util/background-priority.js';
import { tempDir, writePicture } from '../../fixtures/images/make-images.js';
import { importInto, newProject, removeProject } from './helpers/project.js';

interface ThreadNice {
  tid: string;
  name: string;
  nice: number;
}

function threads(): ThreadNice[] {
  const out: ThreadNice[] = [];
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.push({ tid, name, nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

let photos: string;
let project: Project;

beforeAll(async () => {
  photos = tempDir('holdout-priority-');
  for (let i = 0; i < 60; i++) await writePicture(path.join(photos, i % 2 ? 'a' : 'b', `${i}.png`), 'png', { seed: i, width: 320, height: 240 });
  project = newProject();
});

afterAll(() => {
  removeProject(project);
  fs.rmSync(photos, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('import priority', () => {
  it('decodes on lowered threads while the main thread keeps its priority', async () => {
    const mainBefore = threads().find((t) => t.tid === String(process.pid))!.nice;
    let lowestSeen: ThreadNice[] = [];
    const summary = await importInto(project, { kind: 'folder', folder: photos }, {
      // Progress is reported on the main thread while the workers are alive: look then.
      onProgress: () => {
        const lowered = threads().filter((t) => t.nice >= BACKGROUND_NICE);
        if (lowered.length > lowestSeen.length) lowestSeen = lowered;
      },
    });
    expect(summary.imported).toBe(60);
    // The image workers (named like this process's threads) and libvips's helpers.
    expect(lowestSeen.filter((t) => t.name !== 'libvips worker').length, JSON.stringify(lowestSeen)).toBeGreaterThanOrEqual(1);
    expect(lowestSeen.some((t) => t.name === 'libvips worker'), JSON.stringify(lowestSeen)).toBe(true);
    expect(threads().find((t) => t.tid === String(process.pid))!.nice).toBe(mainBefore);
  });
});
