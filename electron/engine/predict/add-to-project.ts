// Adds images from the Predict screen to the project as UNLABELED images, each with the
// model's predicted class recorded as a suggestion to review (never as its label). The
// files go through the ordinary import (a CSV listing them with empty labels, so every
// check, hash, thumbnail and duplicate rule of the importer applies); the suggestions
// are written after it, on the images that are still unlabeled.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { ApiError } from '../../api/errors.js';
import { MAX_ADD_FILES } from '../../api/predict-schemas.js';
import type { ImportProgress } from '../../api/schemas.js';
import { startImport } from '../ingest/start-import.js';
import type { Project } from '../project/project.js';
import { RunsRepo } from '../store/runs-repo.js';
import { SuggestionsRepo } from './suggestions.js';

export interface AddRequest {
  runId?: number | undefined;
  paths: string[];
  suggestions: { path: string; className: string; confidence?: number | undefined }[];
}

export interface AddOutcome {
  importId: number | null;
  imported: number;
  suggested: number;
  errors: { path: string; reason: string }[];
}

/** The deepest folder holding every file, so image paths in the project read relative to it. */
export function commonFolder(files: readonly string[]): string {
  let common = path.dirname(files[0]!);
  for (const f of files) {
    while (common !== path.dirname(common) && !(f.startsWith(common + path.sep) || path.dirname(f) === common)) common = path.dirname(common);
  }
  return common;
}

export async function addToProject(
  project: Project,
  request: AddRequest,
  opts: { signal?: AbortSignal; onProgress?(p: ImportProgress): void } = {},
): Promise<AddOutcome> {
  const files = [...new Set([...request.paths, ...request.suggestions.map((s) => s.path)])];
  if (files.length === 0) throw new ApiError('invalid_request', 'give at least one image to add', 'paths');
  if (files.length > MAX_ADD_FILES) throw new ApiError('invalid_request', `${files.length} files given; at most ${MAX_ADD_FILES} can be added in one go`, 'paths');
  const relative = files.find((f) => !path.isAbsolute(f));
  if (relative !== undefined) throw new ApiError('invalid_request', `paths must be absolute; "${relative}" is relative`, 'paths');
  if (request.runId !== undefined && !new RunsRepo(project.db).get(request.runId)) {
    throw new ApiError('not_found', `run ${request.runId} does not exist`, 'runId');
  }
  const twice = request.suggestions.find((s, i) => request.suggestions.findIndex((t) => t.path === s.path) !== i);
  if (twice) throw new ApiError('invalid_request', `${twice.path} has more than one suggestion`, 'suggestions');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'holdout-add-'));
  let summary;
  try {
    const csv = path.join(tmp, 'predicted.csv');
    fs.writeFileSync(csv, stringify([['path', 'label'], ...files.map((f) => [f, ''])]));
    const running = startImport(project, {
      source: { kind: 'csv', csv, baseDir: commonFolder(files) },
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    summary = await running.done;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  // The CSV is ours, not the person's: its row numbers mean nothing to them.
  const errors = summary.errors.map((e) => ({ path: e.path, reason: e.reason.replace(/^row \d+: /, '') }));
  if (summary.status !== 'done') errors.push({ path: '', reason: summary.message ?? `the import ended ${summary.status}` });

  const suggestions = new SuggestionsRepo(project.db);
  const imageOf = project.db.prepare('SELECT i.id, c.name AS label FROM images i LEFT JOIN classes c ON c.id = i.class_id WHERE i.path_bytes = ?');
  const failed = new Set(errors.map((e) => e.path));
  let suggested = 0;
  for (const s of request.suggestions) {
    const cls = project.classes.byName(s.className);
    if (!cls) {
      errors.push({ path: s.path, reason: `class "${s.className}" is not in this project (renamed or deleted since training?): added without a suggestion` });
      continue;
    }
    const image = imageOf.get(Buffer.from(s.path)) as { id: number; label: string | null } | undefined;
    if (!image) {
      if (!failed.has(s.path)) errors.push({ path: s.path, reason: 'not imported, so no suggestion was recorded' });
      continue;
    }
    if (image.label !== null) {
      errors.push({ path: s.path, reason: `already labeled "${image.label}" in the project: no suggestion recorded` });
      continue;
    }
    if (suggestions.suggest(image.id, cls.id, request.runId ?? null, s.confidence ?? null)) suggested++;
  }
  return { importId: summary.importId, imported: summary.imported, suggested, errors };
}
