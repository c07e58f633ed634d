// holdout leakage --project <dir> [--version N] [--threshold N]
// One JSON line: near-duplicate pairs and groups that cross the splits of the current
// split (or of version N), counted in full and listed up to 50 each.
import { openForReading } from '../open-project.js';
import { emitLine } from '../output.js';
import { callApi } from './split-command.js';
import { leakageJson } from './split-output.js';

export async function leakageCommand(args: { project: string; version?: number | undefined; threshold?: number | undefined }): Promise<number> {
  const project = openForReading(args.project);
  try {
    const r = await callApi(project, 'split.leakage', { versionId: args.version, threshold: args.threshold });
    emitLine('leakage', { version: r.versionId, ...leakageJson(project.db, r) });
    return 0;
  } finally {
    project.close();
  }
}
