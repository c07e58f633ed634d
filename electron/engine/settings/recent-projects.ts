// The list of recently opened projects, kept in the app's settings folder (not in any
// project) as a small JSON file written atomically.
import fs from 'node:fs';
import path from 'node:path';
import type { RecentProject } from '../../api/schemas.js';
import { writeFileAtomic } from '../util/atomic-write.js';

const FILE = 'recent-projects.json';
const MAX = 20;

interface Entry {
  dir: string;
  name: string;
  openedAt: string;
}

export class RecentProjects {
  constructor(private readonly settingsDir: string) {}

  private get file(): string {
    return path.join(this.settingsDir, FILE);
  }

  private read(): Entry[] {
    try {
      const data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown;
      if (!Array.isArray(data)) return [];
      return data.filter(
        (e): e is Entry =>
          typeof e === 'object' && e !== null && typeof e.dir === 'string' && typeof e.name === 'string' && typeof e.openedAt === 'string',
      );
    } catch {
      // Missing or unreadable: start afresh rather than refuse to start the app.
      return [];
    }
  }

  list(): RecentProject[] {
    return this.read().map((e) => ({ ...e, exists: fs.existsSync(path.join(e.dir, 'holdout.db')) }));
  }

  touch(dir: string, name: string): void {
    const entries = this.read().filter((e) => e.dir !== dir);
    entries.unshift({ dir, name, openedAt: new Date().toISOString() });
    fs.mkdirSync(this.settingsDir, { recursive: true });
    writeFileAtomic(this.file, JSON.stringify(entries.slice(0, MAX), null, 2));
  }
}
