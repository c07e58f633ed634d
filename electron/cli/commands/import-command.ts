// holdout import <folder> --project <dir> [--csv <file>] [--unlabeled]
import path from 'node:path';
import type { ImportSource } from '../../api/schemas.js';
import { startImport } from '../../engine/ingest/start-import.js';
import { openOrCreateForChanges } from '../open-project.js';
import { emitLine, UsageError } from '../output.js';

export interface ImportArgs {
  folder: string | undefined;
  project: string;
  csv: string | undefined;
  unlabeled: boolean;
}

export async function importCommand(args: ImportArgs): Promise<number> {
  let source: ImportSource;
  if (args.csv) {
    source = { kind: 'csv', csv: path.resolve(args.csv) };
    if (args.folder) source.baseDir = path.resolve(args.folder);
  } else if (args.folder) {
    source = { kind: 'folder', folder: path.resolve(args.folder), unlabeled: args.unlabeled };
  } else {
    throw new UsageError('import needs a folder (or --csv <file>)');
  }
  const project = openOrCreateForChanges(args.project, 'import');
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let lastLine = 0;
  try {
    const running = startImport(project, {
      source,
      signal: controller.signal,
      onProgress: (p) => {
        const now = Date.now();
        if (now - lastLine < 1000) return;
        lastLine = now;
        emitLine('progress', {
          import_id: p.importId,
          phase: p.phase,
          done: p.done,
          total: p.total,
          imported: p.imported,
          skipped: p.skipped,
          errors: p.errors,
          rate: Math.round(p.rate * 10) / 10,
          eta_seconds: p.etaSeconds === null ? null : Math.round(p.etaSeconds * 10) / 10,
        });
      },
    });
    const summary = await running.done;
    emitLine('import', {
      project: project.dir,
      import_id: summary.importId,
      status: summary.status,
      imported: summary.imported,
      skipped_duplicates: summary.skippedDuplicates,
      updated: summary.updated,
      exact_duplicates: summary.exactDuplicates,
      errors: summary.errors,
      seconds: summary.seconds,
      ...(summary.message ? { message: summary.message } : {}),
    });
    if (summary.status === 'cancelled') return 130;
    return summary.status === 'failed' ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    project.close();
  }
}
