// Reads a labels CSV (path,label) the way people actually write them: with or without
// a header, with a byte-order mark (Excel's "CSV UTF-8"), quoted fields holding commas,
// Windows line endings, blank lines. Every problem is reported with its line number;
// nothing here touches the project.
import { parse } from 'csv-parse/sync';
import { countLines, csvTooLargeReason } from '../ingest/csv-limits.js';

export interface LabelRow {
  /** Line of the file where the row starts (1 = first line, the header if there is one). */
  row: number;
  path: string;
  label: string;
}

export interface RowError {
  row: number;
  path: string;
  reason: string;
}

const PATH_HEADERS = ['path', 'file', 'filename', 'image'];
const LABEL_HEADERS = ['label', 'class'];

interface ParsedRecord {
  info: { lines: number };
  record: string[];
}

/** The line a record starts on: csv-parse reports where it ends, and quoted fields may span lines. */
function startLine(r: ParsedRecord): number {
  let breaks = 0;
  for (const field of r.record) breaks += field.split('\n').length - 1;
  return r.info.lines - breaks;
}

export function readLabelCsv(input: Buffer | string): { rows: LabelRow[]; errors: RowError[] } {
  let records: ParsedRecord[];
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const tooLarge = csvTooLargeReason(bytes.length, countLines(bytes));
  if (tooLarge) return { rows: [], errors: [{ row: 0, path: '', reason: tooLarge }] };
  try {
    records = parse(input, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as ParsedRecord[];
  } catch (err) {
    const e = err as Error & { lines?: number };
    return { rows: [], errors: [{ row: e.lines ?? 0, path: '', reason: `the file is not valid CSV: ${e.message}` }] };
  }
  const rows: LabelRow[] = [];
  const errors: RowError[] = [];
  let pathCol = 0;
  let labelCol = 1;
  let first = 0;
  const head = records[0]?.record.map((c) => c.trim().toLowerCase());
  if (head) {
    const p = head.findIndex((c) => PATH_HEADERS.includes(c));
    const l = head.findIndex((c) => LABEL_HEADERS.includes(c));
    if (p >= 0 && l >= 0) {
      pathCol = p;
      labelCol = l;
      first = 1;
    } else if (p >= 0 || l >= 0) {
      errors.push({ row: startLine(records[0]!), path: '', reason: 'the header needs both a "path" and a "label" column' });
      return { rows, errors };
    }
  }
  for (const r of records.slice(first)) {
    const row = startLine(r);
    const cells = r.record;
    const filePath = (cells[pathCol] ?? '').trim();
    if (cells.every((c) => c.trim() === '')) continue; // a line of empty cells, as spreadsheets write
    if (cells.length <= Math.max(pathCol, labelCol)) {
      errors.push({ row, path: filePath, reason: `expected ${Math.max(pathCol, labelCol) + 1} columns (path,label), found ${cells.length}` });
      continue;
    }
    if (filePath === '') {
      errors.push({ row, path: '', reason: 'the path is empty' });
      continue;
    }
    rows.push({ row, path: filePath, label: cells[labelCol]!.trim() });
  }
  return { rows, errors };
}
