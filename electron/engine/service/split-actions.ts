// The split wizard's actions over a project's database: load the images, run the pure
// engine (splits/), check leakage, word the warnings, save a version. The API handlers
// and the command line both call these, so they report the same thing.
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import { newSeed } from '../curation/prng.js';
import { splitVersionOrCurrent } from '../evaluate/ledger.js';
import { extendSplit } from '../splits/extend.js';
import { checkLeakage, DEFAULT_NEAR_THRESHOLD, type LeakageReport, type PlacedImage } from '../splits/leakage.js';
import { planSplit } from '../splits/split-plan.js';
import type { SplitStats } from '../splits/stats.js';
import { SPLITS, type ClassRef, type GroupSource, type Ratios, type SplitImage, type SplitName } from '../splits/types.js';
import { heldBackWarning, leakageWarnings, splitWarnings, type SplitWarning } from '../splits/warnings.js';
import { LedgerRepo } from '../store/ledger-repo.js';
import { SplitsRepo, type SplitVersion } from '../store/splits-repo.js';

export interface SplitSettings {
  ratios: Ratios;
  seed?: number | undefined;
  grouping: GroupSource[];
  threshold?: number | undefined;
}

export interface VersionSummary {
  id: number;
  parentId: number | null;
  createdAt: string;
  seed: number;
  ratios: Ratios;
  grouping: GroupSource[];
  threshold: number;
  allowTest: boolean;
  imageCount: number;
  counts: Record<SplitName, number>;
  testUses: number;
}

export interface SplitReport extends Omit<SplitStats, 'perClass'> {
  version: VersionSummary | null;
  seed: number;
  ratios: Ratios;
  grouping: GroupSource[];
  perClass: SplitStats['perClass'];
  unlabeledSkipped: number;
  excludedSkipped: number;
  groups: { count: number; groupedImages: number; largest: number };
  leakage: LeakageReport;
  warnings: SplitWarning[];
}

function classRefs(db: Database.Database): ClassRef[] {
  return db.prepare('SELECT id, name FROM classes ORDER BY position, name').all() as ClassRef[];
}

/** The leakage check's distance: asked for, else the near-duplicate grouping's, else the default. */
function leakThreshold(grouping: readonly GroupSource[], asked: number | undefined): number {
  if (asked !== undefined) return asked;
  const near = grouping.find((g) => g.kind === 'near-duplicates');
  return near?.kind === 'near-duplicates' ? near.threshold : DEFAULT_NEAR_THRESHOLD;
}

/** The version's sources plus the folder/CSV groups, which are checked whenever images have them. */
function leakSources(grouping: readonly GroupSource[]): GroupSource[] {
  return grouping.some((g) => g.kind === 'folder' || g.kind === 'csv') ? [...grouping] : [...grouping, { kind: 'folder' }];
}

function placed(images: readonly SplitImage[], splitOf: Uint8Array): PlacedImage[] {
  const out: PlacedImage[] = [];
  images.forEach((img, i) => {
    const s = SPLITS[splitOf[i]!];
    if (s) out.push({ ...img, split: s });
  });
  return out;
}

export function summarize(db: Database.Database, v: SplitVersion): VersionSummary {
  return {
    id: v.id,
    parentId: v.parentId,
    createdAt: v.createdAt,
    seed: v.seed,
    ratios: v.ratios,
    grouping: v.grouping,
    threshold: v.threshold,
    allowTest: v.allowTest,
    imageCount: v.imageCount,
    counts: new SplitsRepo(db).counts(v.id),
    testUses: new LedgerRepo(db).uses(v.testFingerprint),
  };
}

function compute(db: Database.Database, settings: SplitSettings) {
  const repo = new SplitsRepo(db);
  const loaded = repo.loadImages();
  const classes = classRefs(db);
  const seed = settings.seed ?? newSeed();
  const plan = planSplit(loaded.images, { ratios: settings.ratios, seed, grouping: settings.grouping, classes });
  const threshold = leakThreshold(settings.grouping, settings.threshold);
  const leakage = checkLeakage(placed(loaded.images, plan.splitOf), { threshold, sources: leakSources(settings.grouping) });
  const warnings = splitWarnings({ ...plan, ratios: settings.ratios, leakage }, new Map(classes.map((c) => [c.id, c.name])));
  const report: SplitReport = {
    version: null,
    seed,
    ratios: settings.ratios,
    grouping: settings.grouping,
    ...plan.stats,
    unlabeledSkipped: loaded.unlabeled,
    excludedSkipped: loaded.excluded,
    groups: {
      count: plan.grouping.groups.length,
      groupedImages: plan.grouping.groups.reduce((s, g) => s + (g.length > 1 ? g.length : 0), 0),
      largest: plan.grouping.groups.reduce((m, g) => Math.max(m, g.length), 0),
    },
    leakage,
    warnings,
  };
  return { report, plan, threshold };
}

export function previewSplit(db: Database.Database, settings: SplitSettings): SplitReport {
  return compute(db, settings).report;
}

/** Makes the split and saves it as a new version, in one transaction with the reading. */
export function saveSplit(db: Database.Database, settings: SplitSettings): SplitReport {
  return db
    .transaction(() => {
      const { report, plan, threshold } = compute(db, settings);
      const assignments = new Map<number, SplitName>();
      plan.images.forEach((img, i) => assignments.set(img.id, SPLITS[plan.splitOf[i]!]!));
      const version = new SplitsRepo(db).insert(
        { parentId: null, seed: report.seed, ratios: settings.ratios, grouping: settings.grouping, threshold, allowTest: false, report: savedReport(report) },
        assignments,
      );
      return { ...report, version: summarize(db, version) };
    })
    .immediate();
}

/** What a version keeps of its report: the numbers and words, not the leakage lists. */
function savedReport(report: SplitReport) {
  const { version: _version, leakage, ...kept } = report;
  return { ...kept, leakage: { threshold: leakage.threshold, nearDuplicatePairs: leakage.nearDuplicatePairs, groupsCrossing: leakage.groupsCrossing } };
}

export interface AssignNewReport {
  created: boolean;
  version: VersionSummary;
  added: Record<SplitName, number>;
  addedPerClass: SplitStats['perClass'];
  heldBack: number;
  counts: Record<SplitName, number>;
  achieved: Ratios;
  perClass: SplitStats['perClass'];
  unlabeledSkipped: number;
  excludedSkipped: number;
  leakage: LeakageReport;
  warnings: SplitWarning[];
}

/** New images since the current split, placed by its rules; a new version when any was placed. */
export function assignNewImages(db: Database.Database, options: { allowTest: boolean; threshold?: number | undefined }): AssignNewReport {
  return db
    .transaction(() => {
      const repo = new SplitsRepo(db);
      const current = splitVersionOrCurrent(db, undefined);
      const previous = repo.assignments(current.id);
      const loaded = repo.loadImages();
      const classes = classRefs(db);
      const plan = extendSplit(loaded.images, { ratios: current.ratios, seed: current.seed, grouping: current.grouping, classes, previous, allowTest: options.allowTest });
      const threshold = options.threshold ?? current.threshold;
      const leakage = checkLeakage(placed(loaded.images, plan.splitOf), { threshold, sources: leakSources(current.grouping) });
      const held = (reason: string) => plan.heldBack.filter((h) => h.reason === reason).length;
      const warnings = [
        ...heldBackWarning(held('test_group'), held('mixed_group')),
        ...leakageWarnings(leakage, current.grouping.some((g) => g.kind === 'near-duplicates')),
      ];
      const base = {
        added: plan.addedStats.counts,
        addedPerClass: plan.addedStats.perClass,
        heldBack: plan.heldBack.length,
        counts: plan.stats.counts,
        achieved: plan.stats.achieved,
        perClass: plan.stats.perClass,
        unlabeledSkipped: loaded.unlabeled,
        excludedSkipped: loaded.excluded,
        leakage,
        warnings,
      };
      if (plan.added.length === 0) return { created: false, version: summarize(db, current), ...base };
      const assignments = new Map(previous);
      for (const i of plan.added) assignments.set(loaded.images[i]!.id, SPLITS[plan.splitOf[i]!]!);
      const version = repo.insert(
        {
          parentId: current.id,
          seed: current.seed,
          ratios: current.ratios,
          grouping: current.grouping,
          threshold,
          allowTest: options.allowTest,
          report: { ...base, leakage: { threshold, nearDuplicatePairs: leakage.nearDuplicatePairs, groupsCrossing: leakage.groupsCrossing } },
        },
        assignments,
      );
      return { created: true, version: summarize(db, version), ...base };
    })
    .immediate();
}

/** The leakage report of a saved version (default: the current one), on today's images. */
export function versionLeakage(db: Database.Database, versionId?: number, threshold?: number): LeakageReport & { versionId: number } {
  const version = splitVersionOrCurrent(db, versionId);
  const assignments = new SplitsRepo(db).assignments(version.id);
  const images: PlacedImage[] = [];
  for (const img of new SplitsRepo(db).loadImages().images) {
    const split = assignments.get(img.id);
    if (split) images.push({ ...img, split });
  }
  const report = checkLeakage(images, { threshold: threshold ?? version.threshold, sources: leakSources(version.grouping) });
  return { versionId: version.id, ...report };
}

export function listVersions(db: Database.Database): { versions: VersionSummary[]; currentId: number | null } {
  const versions = new SplitsRepo(db).list().map((v) => summarize(db, v));
  return { versions, currentId: versions[0]?.id ?? null };
}

export function currentVersion(db: Database.Database): (VersionSummary & { unassigned: number }) | null {
  const repo = new SplitsRepo(db);
  const v = repo.current();
  return v ? { ...summarize(db, v), unassigned: repo.unassignedCount(v.id) } : null;
}

/**
 * The images a model may learn from or be tuned on: train or validation of a version
 * (default: the current one). There is deliberately no way to ask for 'test' here: the
 * test images come only from the lockbox (evaluate/ledger.ts, openLockbox).
 */
export function splitImageIds(db: Database.Database, split: Exclude<SplitName, 'test'>, versionId?: number): number[] {
  if ((split as string) === 'test') throw new ApiError('forbidden', 'test images are released only through the test lockbox', 'split');
  return new SplitsRepo(db).imageIds(splitVersionOrCurrent(db, versionId).id, split);
}

