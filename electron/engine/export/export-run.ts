// Exports a run as a self-contained folder and checks it: the model(s) in TF.js layers
// format, labels.json, preprocessing.json, the examples, then the parity check (the
// export's own Node example in a fresh process must reproduce the app's probabilities),
// then model-card.md/.json with the result. A failed parity check is an error: the
// export is still written (so it can be inspected) but marked failed, and the result
// says passed: false, which the CLI turns into exit code 1.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { selectBackend, type BackendPreference } from '../train/backend/select-backend.js';
import { writeExample } from './example-files.js';
import { CARD_JSON, checkOutDir, listFiles, stageExport } from './export-folder.js';
import { throwIfDiskFull } from '../util/disk-full.js';
import { checkExportable, loadExportModels, type ExportModels } from './export-members.js';
import { buildModelCard, modelCardMarkdown, type ModelCard } from './model-card.js';
import { checkParity, type ParityResult } from './parity.js';
import { preprocessingDoc } from './preprocessing-doc.js';
import { writeMember, type MemberLayout } from './write-member.js';

export type ExportPhase = 'loading' | 'writing' | 'in-app' | 'example' | 'finishing';
export const EXPORT_PHASES: readonly ExportPhase[] = ['loading', 'writing', 'in-app', 'example', 'finishing'];

export interface ExportOptions {
  /** The backend for the in-app side: the run's own preference by default, or 'current'. */
  backend?: BackendPreference | 'current';
  onProgress?(phase: ExportPhase, done: number, total: number): void;
}

export interface ExportResult {
  outDir: string;
  /** Every file of the export, relative, '/'-separated. */
  files: string[];
  parity: ParityResult;
  card: ModelCard;
}

function runBackend(config: unknown): BackendPreference {
  const b = (config as { backend?: unknown } | null)?.backend;
  return b === 'tensorflow-gpu' || b === 'tensorflow' || b === 'wasm' || b === 'cpu' ? b : 'auto';
}

/** Writes models, labels, preprocessing and examples into dir; returns the members' layouts. */
async function writeExportFiles(dir: string, projectDir: string, models: ExportModels, onMember: (done: number) => void): Promise<MemberLayout[]> {
  const layouts: MemberLayout[] = [];
  const single = models.members.length === 1 && models.run.kind !== 'ensemble';
  for (const [i, m] of models.members.entries()) {
    const rel = single ? 'model' : `members/${i}`;
    layouts.push(await writeMember(dir, rel, m, projectDir, single ? models.run.name : `member ${i} (run ${m.run.id} "${m.run.name}")`));
    onMember(i + 1);
  }
  fs.writeFileSync(path.join(dir, 'labels.json'), `${JSON.stringify(models.classes, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'preprocessing.json'), `${JSON.stringify(preprocessingDoc(layouts), null, 2)}\n`);
  writeExample(dir);
  return layouts;
}

function writeCard(dir: string, card: ModelCard): void {
  fs.writeFileSync(path.join(dir, CARD_JSON), `${JSON.stringify(card, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'model-card.md'), modelCardMarkdown(card));
}

export async function exportRun(db: Database.Database, projectDir: string, runId: number, outDir: string, opts: ExportOptions = {}): Promise<ExportResult> {
  // Refusals first, before anything is loaded or written.
  const target = checkOutDir(outDir);
  const { run } = checkExportable(db, runId);
  const progress = opts.onProgress ?? (() => undefined);
  progress('loading', 0, 1);
  if (opts.backend !== 'current') await selectBackend(opts.backend ?? runBackend(run.config));
  const models = await loadExportModels(db, projectDir, runId);
  const staged = stageExport(target);
  try {
    const total = models.members.length;
    progress('writing', 0, total);
    const layouts = await writeExportFiles(staged.dir, projectDir, models, (done) => progress('writing', done, total));
    const parity = await checkParity(db, projectDir, staged.dir, models, (phase) => progress(phase, 0, 1));
    progress('finishing', 0, 1);
    const card = buildModelCard(db, models, layouts, parity);
    writeCard(staged.dir, card);
    staged.commit();
    progress('finishing', 1, 1);
    return { outDir: target, files: listFiles(target), parity, card };
  } catch (err) {
    staged.discard();
    // The disk (of the export folder, or of the temporary files parity writes) is full:
    // say so in words; the half-written folder is already gone, the target untouched.
    throwIfDiskFull(err, {
      what: 'the export',
      path: target,
      field: 'outDir',
      retry: 'export again',
      kept: `nothing was left half-written: ${target} is as it was before`,
    });
    throw err;
  } finally {
    models.dispose();
  }
}

/** Runs the parity check again on an existing export of this run (e.g. after copying it). */
export async function verifyExport(db: Database.Database, projectDir: string, runId: number, exportDir: string): Promise<ParityResult> {
  const models = await loadExportModels(db, projectDir, runId);
  try {
    return await checkParity(db, projectDir, path.resolve(exportDir), models);
  } finally {
    models.dispose();
  }
}
