// Lists the images of a CSV file: `path,label[,group]`, one image per row.
// - A first row whose first cell starts with "path" is a header and is skipped.
// - Paths are absolute or relative to the CSV's folder; an empty label leaves the
//   image unlabeled; an empty group means none.
// - Every bad row is reported as "row N: …" (N is the line number a spreadsheet shows)
//   and the other rows still import. Whether a listed file exists is found out when it
//   is read, in the workers, and reported with its row the same way.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse, type CsvError } from 'csv-parse';
import type { ImportError } from '../../api/schemas.js';
import { csvTooLargeReason, countLines } from './csv-limits.js';
import { ioErrorReason } from './decode-errors.js';
import { judgeName } from './file-types.js';
import type { ImportItem, Listing } from './import-item.js';

interface Row {
  record: string[];
  info: { lines: number };
}

function parseRows(input: Buffer, skipped: CsvError[]): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    parse(
      input,
      {
        bom: true,
        info: true,
        // Rows must all have as many columns as the first; a row that does not is
        // reported (on_skip) instead of stopping the whole file.
        relax_column_count: false,
        skip_records_with_error: true,
        skip_empty_lines: true,
        on_skip: (err) => {
          if (err) skipped.push(err);
          return undefined;
        },
      },
      (err, rows) => (err ? reject(err) : resolve(rows as unknown as Row[])),
    );
  });
}

function rowError(csvFile: string, line: number | undefined, reason: string): ImportError {
  return { path: csvFile, reason: line ? `row ${line}: ${reason}` : reason };
}

/** Lists a CSV's rows; relative paths are resolved against `baseDir` (default: the CSV's folder). */
export async function readCsv(csvFile: string, baseDirInput?: string): Promise<Listing> {
  const csvPath = path.resolve(csvFile);
  const baseDir = path.resolve(baseDirInput ?? path.dirname(csvPath));
  const errors: ImportError[] = [];
  const skipped: CsvError[] = [];
  let rows: Row[];
  try {
    // Size first, then lines: a huge file is refused before it is read or parsed.
    const tooBig = csvTooLargeReason((await fs.stat(csvPath)).size, null);
    if (tooBig) return { items: [], errors: [rowError(csvPath, undefined, tooBig)] };
    const bytes = await fs.readFile(csvPath);
    const tooLong = csvTooLargeReason(bytes.length, countLines(bytes));
    if (tooLong) return { items: [], errors: [rowError(csvPath, undefined, tooLong)] };
    rows = await parseRows(bytes, skipped);
  } catch (err) {
    const csvErr = err as CsvError;
    const reason = csvErr.code?.startsWith('CSV_') ? `the CSV could not be read: ${csvErr.message}` : ioErrorReason(err);
    return { items: [], errors: [rowError(csvPath, undefined, reason)] };
  }

  const columns = rows[0]?.record.length ?? 0;
  if (rows.length > 0 && columns !== 2 && columns !== 3) {
    const reason = `the CSV has ${columns} column${columns === 1 ? '' : 's'} in its first row; it needs path,label or path,label,group`;
    return { items: [], errors: [rowError(csvPath, undefined, reason)] };
  }
  for (const err of skipped) {
    const found = Array.isArray(err.record) ? err.record.length : undefined;
    const reason =
      err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && found !== undefined
        ? `has ${found} column${found === 1 ? '' : 's'} but the first row has ${columns}; expected path,label${columns === 3 ? ',group' : ''}`
        : err.message;
    errors.push(rowError(csvPath, typeof err.lines === 'number' ? err.lines : undefined, reason));
  }

  const items: ImportItem[] = [];
  const firstRowOf = new Map<string, number>();
  rows.forEach((row, index) => {
    const line = row.info.lines;
    const [rawPath = '', rawLabel = '', rawGroup = ''] = row.record.map((cell) => cell.trim());
    if (index === 0 && /^path/i.test(rawPath)) return;
    if (rawPath === '') {
      errors.push(rowError(csvPath, line, 'the path is empty'));
      return;
    }
    const abs = path.resolve(baseDir, rawPath);
    const seen = firstRowOf.get(abs);
    if (seen !== undefined) {
      errors.push(rowError(csvPath, line, `lists the same file as row ${seen} (${rawPath}); imported once`));
      return;
    }
    firstRowOf.set(abs, line);
    const verdict = judgeName(path.basename(abs));
    if (verdict.kind === 'error') {
      errors.push({ path: abs, reason: `row ${line}: ${verdict.reason}` });
      return;
    }
    const rel = path.relative(baseDir, abs);
    items.push({
      pathBytes: Buffer.from(abs),
      path: abs,
      relPath: rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/'),
      className: rawLabel === '' ? null : rawLabel.normalize('NFC'),
      group: rawGroup === '' ? null : rawGroup.normalize('NFC'),
      row: line,
    });
  });
  return { items, errors };
}
