// What is checked after every kill, whatever the operation: the database opens and is
// sound, and whether the dead process left its lock behind (the next command must then
// take it over).
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { readProjectLock } from '../../../../electron/engine/project/project-lock.js';

/** Opens the project's database as the next opener would (replaying the WAL) and checks it. */
export function checkDatabase(projectDir: string): { integrity: string; foreignKeys: unknown[] } {
  const db = new Database(path.join(projectDir, 'holdout.db'), { fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      foreignKeys: db.pragma('foreign_key_check') as unknown[],
    };
  } finally {
    db.close();
  }
}

/** Runs `read` on the project's database, opened read-write (so a WAL left by the crash is replayed) and closed after. */
export function withDb<T>(projectDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(projectDir, 'holdout.db'), { fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Whether the dead process `pid` left holdout.lock behind. */
export function leftItsLock(projectDir: string, pid: number): boolean {
  return readProjectLock(projectDir)?.pid === pid;
}

export function projectExists(projectDir: string): boolean {
  return fs.existsSync(path.join(projectDir, 'holdout.db'));
}
