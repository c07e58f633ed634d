// holdout label --project <dir> --csv <file> [--create-classes] [--base-dir <dir>]
// Applies labels from a CSV of path,label, all or nothing: any bad row (unknown path,
// unknown class, one image given two labels, unreadable CSV) is reported by its line
// number and nothing is applied; the exit code is then 1.
import path from 'node:path';
import { applyLabelCsv } from '../../engine/labeling/apply-label-csv.js';
import { readLabelCsv } from '../../engine/labeling/read-label-csv.js';
import { MAX_CSV_BYTES } from '../../engine/ingest/csv-limits.js';
import { readInputFile } from '../read-input-file.js';
import { openForChanges } from '../open-project.js';
import { emitLine } from '../output.js';

export interface LabelArgs {
  project: string;
  csv: string;
  createClasses: boolean;
  baseDir: string | undefined;
}

function readCsv(file: string): Buffer {
  return readInputFile(file, { field: 'csv', what: 'a CSV file', maxBytes: MAX_CSV_BYTES });
}

export function labelCommand(args: LabelArgs): number {
  const csv = path.resolve(args.csv);
  const text = readCsv(csv);
  const project = openForChanges(args.project, 'label');
  try {
    const parsed = readLabelCsv(text);
    const result = applyLabelCsv(project.db, parsed.rows, parsed.errors, {
      baseDir: path.resolve(args.baseDir ?? path.dirname(csv)),
      createClasses: args.createClasses,
      sourceName: path.basename(csv),
    });
    emitLine('label', {
      project: project.dir,
      applied: result.applied,
      unchanged: result.unchanged,
      created_classes: result.createdClasses,
      action_id: result.actionId,
      errors: result.errors,
    });
    if (result.errors.length > 0) {
      process.stderr.write(`holdout: ${result.errors.length} bad row(s) in ${csv}; nothing was applied\n`);
      return 1;
    }
    return 0;
  } finally {
    project.close();
  }
}
