// holdout split --project <dir> [--ratios 70,15,15] [--seed N] [--group-by …]… [--threshold N] [--dry-run]
// holdout split --project <dir> --add-new [--allow-test]
// One JSON line: the saved split (or, with --dry-run, the preview) with per-split and
// per-class counts, achieved shares, leakage and warnings. The request goes through the
// API's own validation and handlers, so the command and the app cannot disagree.
import { invoke } from '../../api/dispatch.js';
import { ApiError, toApiError } from '../../api/errors.js';
import type { Handlers, Response } from '../../api/contract.js';
import type { Project } from '../../engine/project/project.js';
import { openForChanges, openForReading } from '../open-project.js';
import { createSplitHandlers } from '../../engine/service/split-handlers.js';
import { describeSource } from '../../engine/splits/grouping.js';
import type { GroupSource } from '../../engine/splits/types.js';
import { emitLine } from '../output.js';
import { flagOf } from './split-args.js';
import { leakageJson, perClassJson } from './split-output.js';

export interface SplitArgs {
  project: string;
  ratios?: { train: number; validation: number; test: number } | undefined;
  seed?: number | undefined;
  grouping: GroupSource[];
  threshold?: number | undefined;
  dryRun: boolean;
  addNew: boolean;
  allowTest: boolean;
}

/** Runs one API method on the project; errors name the command-line flag. */
export async function callApi<M extends 'split.save' | 'split.preview' | 'split.assignNew' | 'split.leakage'>(
  project: Project,
  method: M,
  request: unknown,
): Promise<Response<M>> {
  const handlers = createSplitHandlers(() => project, () => undefined);
  try {
    // Only the split methods are wired: the handler table is complete for them.
    return await invoke<M>(handlers as unknown as Handlers, method, request);
  } catch (err) {
    const e = toApiError(err);
    const flag = flagOf(e.field);
    const message = flag ? `${flag}: ${e.message.replace(/^split\.\w+: /, '')}` : e.message;
    throw new ApiError(e.code, message, e.field);
  }
}

export async function splitCommand(args: SplitArgs): Promise<number> {
  const project = args.dryRun ? openForReading(args.project) : openForChanges(args.project, 'split');
  try {
    if (args.addNew) return await addNew(project, args);
    const request = { ratios: args.ratios, seed: args.seed, grouping: args.grouping, threshold: args.threshold };
    const r = await callApi(project, args.dryRun ? 'split.preview' : 'split.save', request);
    emitLine('split', {
      version: r.version?.id ?? null,
      seed: r.seed,
      ratios: r.ratios,
      group_by: r.grouping.map(describeSource),
      counts: r.counts,
      per_class: perClassJson(r.perClass),
      achieved: r.achieved,
      unlabeled_skipped: r.unlabeledSkipped,
      excluded_skipped: r.excludedSkipped,
      groups: { count: r.groups.count, grouped_images: r.groups.groupedImages, largest: r.groups.largest },
      leakage: leakageJson(project.db, r.leakage),
      warnings: r.warnings.map((w) => w.message),
    });
    return 0;
  } finally {
    project.close();
  }
}

async function addNew(project: Project, args: SplitArgs): Promise<number> {
  const r = await callApi(project, 'split.assignNew', { allowTest: args.allowTest, threshold: args.threshold });
  emitLine('split_new_images', {
    version: r.version.id,
    created: r.created,
    parent: r.version.parentId,
    allow_test: args.allowTest,
    added: r.added,
    held_back: r.heldBack,
    counts: r.counts,
    per_class: perClassJson(r.perClass),
    achieved: r.achieved,
    unlabeled_skipped: r.unlabeledSkipped,
    excluded_skipped: r.excludedSkipped,
    leakage: leakageJson(project.db, r.leakage),
    warnings: r.warnings.map((w) => w.message),
  });
  return 0;
}
