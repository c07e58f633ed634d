// holdout export --project <dir> --run <id> --out <dir>
// Exports a run (an ensemble: all its members) as a self-contained TF.js folder, then
// runs the export's own Node example in a fresh process and compares its probabilities
// with the app's. Prints "phase" progress lines, then one "export" line with the parity
// result. Exit code 1 when the parity check fails: that export must not be used.
import { openForReading } from '../open-project.js';
import { emitLine, UsageError } from '../output.js';

export interface ExportArgs {
  project: string;
  run: string | undefined;
  out: string | undefined;
}

function parseRunId(value: string | undefined): number {
  if (value === undefined) throw new UsageError('export needs --run <id> (see `holdout runs`)');
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError(`--run needs a run id (a whole number), not "${value}"`);
  return id;
}

export async function exportCommand(args: ExportArgs): Promise<number> {
  const runId = parseRunId(args.run);
  if (!args.out) throw new UsageError('export needs --out <dir> (a new or empty folder, or an earlier export)');
  // Loaded here: TensorFlow.js takes a second or two to load.
  const { exportRun } = await import('../../engine/export/export-run.js');
  const project = openForReading(args.project);
  try {
    const result = await exportRun(project.db, project.dir, runId, args.out, {
      onProgress: (phase, done, total) => emitLine('phase', { run_id: runId, phase, done, total }),
    });
    const p = result.parity;
    emitLine('export', {
      run_id: runId,
      out: result.outDir,
      files: result.files,
      parity: { images: p.images, max_abs_diff: p.maxAbsDiff, passed: p.passed, tolerance: p.tolerance, backend: p.exampleBackend, ...(p.error ? { error: p.error } : {}) },
    });
    if (!p.passed) {
      process.stderr.write(`holdout: the parity check FAILED: ${p.error ?? 'unknown reason'}. The export in ${result.outDir} is marked failed; do not use it.\n`);
      return 1;
    }
    return 0;
  } finally {
    project.close();
  }
}
