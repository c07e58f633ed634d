// Saved evaluations on a real project database (SQLite through the engine's own
// repositories): an evaluation saved and read back whole in the contract's shape, the
// confusion-matrix cell galleries surest first, refusals that name the field, a save
// that fails leaving nothing behind, and the relabel counts (since an evaluation, since
// a run) that tell the user a result was computed on old labels.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Evaluation as EvaluationSchema, EvaluationRow as EvaluationRowSchema } from '../../../electron/api/evaluate-schemas.js';
import { ApiError } from '../../../electron/api/errors.js';
import { mostConfidentMistakes } from '../../../electron/engine/evaluate/mistakes.js';
import { assignClass } from '../../../electron/engine/labeling/label-images.js';
import { undo } from '../../../electron/engine/labeling/undo-redo.js';
import { openProject, type Project } from '../../../electron/engine/project/project.js';
import { EvaluationsRepo, type EvaluationToSave } from '../../../electron/engine/store/evaluations-repo.js';
import { LedgerRepo } from '../../../electron/engine/store/ledger-repo.js';
import { RunsRepo } from '../../../electron/engine/store/runs-repo.js';
import { SplitsRepo } from '../../../electron/engine/store/splits-repo.js';
import { makeSyntheticProject } from '../../helpers/synthetic-project.js';
import { tempDirFactory } from '../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-evaluations-repo-');
const CLASSES = ['class 01', 'class 02', 'class 03'];
const LONG_AGO = '2000-01-01T00:00:00.000Z';

interface Fixture {
  p: Project;
  runs: RunsRepo;
  repo: EvaluationsRepo;
  splitVersionId: number;
  /** Labeled validation images with their class names. */
  validation: { id: number; label: string }[];
  trainIds: number[];
}

async function fixture(): Promise<Fixture> {
  const dir = path.join(tempDir(), 'project');
  await makeSyntheticProject(dir, 60, { classes: 3, thumbPool: 4 });
  const p = openProject(dir);
  const rows = p.db
    .prepare('SELECT i.id, c.name FROM images i LEFT JOIN classes c ON c.id = i.class_id ORDER BY i.id')
    .all() as { id: number; name: string | null }[];
  const assignments = new Map<number, 'train' | 'validation'>(rows.map((r) => [r.id, r.id % 3 === 0 ? 'validation' : 'train']));
  const version = new SplitsRepo(p.db).insert(
    { parentId: null, seed: 1, ratios: { train: 67, validation: 33, test: 0 }, grouping: [], threshold: 0, allowTest: false, report: {} },
    assignments,
  );
  return {
    p,
    runs: new RunsRepo(p.db),
    repo: new EvaluationsRepo(p.db),
    splitVersionId: version.id,
    validation: rows.filter((r) => r.id % 3 === 0 && r.name !== null).map((r) => ({ id: r.id, label: r.name! })),
    trainIds: rows.filter((r) => r.id % 3 !== 0).map((r) => r.id),
  };
}

/** A deterministic model's answers: every fourth image wrong, confidences spread with some ties. */
function evaluationOf(f: Fixture, runId: number): EvaluationToSave {
  const predictions = f.validation.map(({ id, label }, i) => {
    const wrong = i % 4 === 1;
    const predicted = wrong ? CLASSES[(CLASSES.indexOf(label) + 1) % 3]! : label;
    return { imageId: id, actual: label, predicted, confidence: 0.4 + ((i * 7) % 6) / 10 };
  });
  const k = CLASSES.length;
  const matrix = CLASSES.map(() => Array<number>(k).fill(0));
  for (const p of predictions) matrix[CLASSES.indexOf(p.actual)]![CLASSES.indexOf(p.predicted)]!++;
  const right = predictions.filter((p) => p.actual === p.predicted).length;
  return {
    runId,
    split: 'validation',
    splitVersionId: f.splitVersionId,
    checkpointEpoch: 4,
    modelKind: 'small-cnn',
    backend: 'CPU (WebAssembly, 1 thread)',
    evaluated: predictions.length,
    accuracy: right / predictions.length,
    loss: 0.73,
    perClass: CLASSES.map((c) => ({ class: c, precision: 0.5, recall: 0.5, f1: 0.5, support: 3 })),
    macroF1: 0.5,
    confusion: { classes: CLASSES, matrix },
    predictions,
    skipped: { unlabeled: 1, excluded: 0, classNotInModel: 0 },
    labelsChangedSinceRun: [f.validation[0]!.id],
    quiz: { sessionId: 3, accuracy: 0.8, answered: 10, finished: true, perClass: [{ class: 'class 01', accuracy: 1, answered: 4 }] },
  };
}

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const counts = (f: Fixture) => ({
  evaluations: f.p.db.prepare('SELECT count(*) FROM evaluations').pluck().get(),
  images: f.p.db.prepare('SELECT count(*) FROM evaluation_images').pluck().get(),
});

describe('EvaluationsRepo', () => {
  let f: Fixture;
  let runId: number;
  let saved: EvaluationToSave;
  let id: number;
  beforeAll(async () => {
    f = await fixture();
    runId = f.runs.create({ name: 'first', splitVersionId: f.splitVersionId, config: {} }).id;
    saved = evaluationOf(f, runId);
    id = f.repo.save(saved, LONG_AGO);
  });

  it('reads a saved evaluation back whole, in the contract shape, with its surest mistakes joined to the images', () => {
    const e = f.repo.get(id)!;
    expect(EvaluationSchema.strict().safeParse(e).error).toBeUndefined();
    expect(e).toMatchObject({
      id,
      runId,
      split: 'validation',
      splitVersionId: f.splitVersionId,
      createdAt: LONG_AGO,
      checkpointEpoch: 4,
      evaluated: saved.evaluated,
      accuracy: saved.accuracy,
      macroF1: 0.5,
      testUses: null,
      reuseMark: null,
      ledgerEntryId: null,
      modelKind: 'small-cnn',
      backend: 'CPU (WebAssembly, 1 thread)',
      loss: 0.73,
      perClass: saved.perClass,
      confusion: saved.confusion,
      skipped: saved.skipped,
      labelsChangedSinceRun: 1,
      labelsChangedSinceEvaluation: 0,
      quiz: saved.quiz,
    });
    // The same mistakes, in the same order, as the engine picks them from the predictions.
    const expected = mostConfidentMistakes(saved.predictions.map((p) => ({ ...p, probabilities: [] })));
    expect(expected.length).toBeGreaterThan(3);
    expect(e.mostConfidentMistakes.map((m) => [m.imageId, m.actual, m.predicted, m.confidence])).toEqual(
      expected.map((m) => [m.imageId, m.actual, m.predicted, m.confidence]),
    );
    const image = f.p.images.detail(e.mostConfidentMistakes[0]!.imageId)!;
    expect(e.mostConfidentMistakes[0]).toMatchObject({ sha256: image.sha256, relPath: image.relPath, currentLabel: e.mostConfidentMistakes[0]!.actual });
    expect(f.repo.get(id + 100)).toBeUndefined();
  });

  it('lists evaluations newest first, of all runs or of one', () => {
    const other = f.runs.create({ name: 'second', splitVersionId: f.splitVersionId, config: {} }).id;
    const second = f.repo.save(evaluationOf(f, other));
    const all = f.repo.list();
    expect(all.map((e) => e.id)).toEqual([second, id]);
    for (const row of all) expect(EvaluationRowSchema.strict().safeParse(row).error).toBeUndefined();
    expect(f.repo.list(runId).map((e) => e.id)).toEqual([id]);
    expect(f.repo.list(other).map((e) => e.id)).toEqual([second]);
    expect(f.repo.list(9999)).toEqual([]);
  });

  it("answers a confusion-matrix cell surest first, a class's row, every mistake, and pages", () => {
    const wrong = saved.predictions.find((p) => p.actual !== p.predicted)!;
    const cell = f.repo.images({ evaluationId: id, actual: wrong.actual, predicted: wrong.predicted });
    const expected = saved.predictions
      .filter((p) => p.actual === wrong.actual && p.predicted === wrong.predicted)
      .sort((a, b) => b.confidence - a.confidence || a.imageId - b.imageId);
    expect(cell.total).toBe(expected.length);
    expect(cell.images.map((i) => i.imageId)).toEqual(expected.map((p) => p.imageId));

    const row = f.repo.images({ evaluationId: id, actual: CLASSES[0] });
    expect(row.total).toBe(saved.predictions.filter((p) => p.actual === CLASSES[0]).length);
    const confidences = row.images.map((i) => i.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    // Ties keep a stable order: lower image id first.
    for (let i = 1; i < row.images.length; i++) {
      if (row.images[i]!.confidence === row.images[i - 1]!.confidence) expect(row.images[i]!.imageId).toBeGreaterThan(row.images[i - 1]!.imageId);
    }

    const mistakes = f.repo.images({ evaluationId: id, mistakesOnly: true });
    expect(mistakes.total).toBe(saved.predictions.filter((p) => p.actual !== p.predicted).length);
    expect(mistakes.images.every((i) => i.actual !== i.predicted)).toBe(true);
    const column = f.repo.images({ evaluationId: id, predicted: CLASSES[1], mistakesOnly: true });
    expect(column.images.every((i) => i.predicted === CLASSES[1] && i.actual !== CLASSES[1])).toBe(true);

    const everything = f.repo.images({ evaluationId: id, limit: 500 });
    expect(everything.total).toBe(saved.evaluated);
    const page = f.repo.images({ evaluationId: id, offset: 5, limit: 4 });
    expect(page.total).toBe(saved.evaluated);
    expect(page.images.map((i) => i.imageId)).toEqual(everything.images.slice(5, 9).map((i) => i.imageId));
  });

  it('refuses class names that are not among the evaluation’s classes, naming the field; and unknown evaluations', () => {
    const actual = refusal(() => f.repo.images({ evaluationId: id, actual: 'class 99' }));
    expect(actual).toMatchObject({ code: 'invalid_request', field: 'actual' });
    expect(actual.message).toContain('class 99');
    expect(refusal(() => f.repo.images({ evaluationId: id, actual: CLASSES[0], predicted: 'Class 01' }))).toMatchObject({
      code: 'invalid_request',
      field: 'predicted',
    });
    expect(refusal(() => f.repo.images({ evaluationId: 4242 }))).toMatchObject({ code: 'not_found', field: 'evaluationId' });
  });

  it('saves all or nothing: a failing image row leaves no evaluation', () => {
    const before = counts(f);
    const bad = evaluationOf(f, runId);
    // The same image twice breaks the primary key half-way through the image rows.
    bad.predictions = [...bad.predictions, { ...bad.predictions[0]! }];
    expect(() => f.repo.save(bad)).toThrow(/UNIQUE|PRIMARY KEY/i);
    expect(counts(f)).toEqual(before);
    // A run that does not exist (the foreign key) fails the same way.
    expect(() => f.repo.save(evaluationOf(f, 9999))).toThrow(/FOREIGN KEY/i);
    // A test evaluation without its ledger entry is refused before writing.
    expect(refusal(() => f.repo.save({ ...evaluationOf(f, runId), split: 'test' }))).toMatchObject({ code: 'invalid_request' });
    expect(counts(f)).toEqual(before);
  });

  it('keeps a test evaluation’s ledger entry, use count and reuse mark', () => {
    const ledger = new LedgerRepo(f.p.db).insert({ splitVersionId: f.splitVersionId, testFingerprint: 'x', useNumber: 2, runId, model: 'run', testImages: 3 });
    const testId = f.repo.save({ ...evaluationOf(f, runId), split: 'test', ledgerEntryId: ledger.id, testUses: 2, reuseMark: 'test set reused (2)' });
    expect(f.repo.get(testId)).toMatchObject({ split: 'test', testUses: 2, reuseMark: 'test set reused (2)', ledgerEntryId: ledger.id });
    expect(f.repo.list(runId)[0]).toMatchObject({ id: testId, testUses: 2, reuseMark: 'test set reused (2)' });
  });

  it('counts evaluated images relabeled after the evaluation, not undone ones nor images it did not score', () => {
    const fresh = f.repo.save(evaluationOf(f, runId));
    const [first, second] = f.validation;
    const classId = (name: string) => f.p.db.prepare('SELECT id FROM classes WHERE name = ?').pluck().get(name) as number;
    const other = CLASSES[(CLASSES.indexOf(first!.label) + 1) % 3]!;
    // An image the evaluation did not score (a training image).
    assignClass(f.p.db, [f.trainIds[0]!], classId(other));
    expect(f.repo.get(fresh)!.labelsChangedSinceEvaluation).toBe(0);
    assignClass(f.p.db, [first!.id], classId(other));
    expect(f.repo.get(fresh)!.labelsChangedSinceEvaluation).toBe(1);
    // The gallery shows the label then and the label now.
    const shown = f.repo.images({ evaluationId: fresh, limit: 500 }).images.find((i) => i.imageId === first!.id)!;
    expect(shown).toMatchObject({ actual: first!.label, currentLabel: other });
    assignClass(f.p.db, [second!.id], null);
    expect(f.repo.get(fresh)!.labelsChangedSinceEvaluation).toBe(2);
    expect(f.repo.images({ evaluationId: fresh, limit: 500 }).images.find((i) => i.imageId === second!.id)!.currentLabel).toBeNull();
    undo(f.p.db);
    expect(f.repo.get(fresh)!.labelsChangedSinceEvaluation).toBe(1);
    // The first evaluation (saved "long ago") sees the same changes.
    expect(f.repo.get(id)!.labelsChangedSinceEvaluation).toBe(1);
  });

  it('is deleted with its run, images and all', () => {
    const doomed = f.runs.create({ name: 'doomed', splitVersionId: f.splitVersionId, config: {} }).id;
    const e = f.repo.save(evaluationOf(f, doomed));
    const rows = (sql: string) => f.p.db.prepare(sql).pluck().get(e) as number;
    expect(rows('SELECT count(*) FROM evaluation_images WHERE evaluation_id = ?')).toBe(f.validation.length);
    f.runs.delete(doomed);
    expect(f.repo.get(e)).toBeUndefined();
    expect(rows('SELECT count(*) FROM evaluation_images WHERE evaluation_id = ?')).toBe(0);
  });
});

describe('RunsRepo.labelsChangedSince', () => {
  it("counts, per run, the images of its split version relabeled after it was created, in one map", async () => {
    const f = await fixture();
    const older = f.runs.create({ name: 'older', splitVersionId: f.splitVersionId, config: {} }).id;
    // Created "long ago", so every change below is after it.
    f.p.db.prepare('UPDATE runs SET created_at = ? WHERE id = ?').run(LONG_AGO, older);
    expect(f.runs.labelsChangedSince()).toEqual(new Map());
    const classId = (name: string) => f.p.db.prepare('SELECT id FROM classes WHERE name = ?').pluck().get(name) as number;
    const [a, b] = f.validation;
    assignClass(f.p.db, [a!.id, f.trainIds[0]!], classId(CLASSES[(CLASSES.indexOf(a!.label) + 1) % 3]!));
    // Changed and changed back: still an image whose label changed since the run.
    assignClass(f.p.db, [a!.id], classId(a!.label));
    // Assigning the class it already has changes nothing.
    assignClass(f.p.db, [b!.id], classId(b!.label));
    const newer = f.runs.create({ name: 'newer', splitVersionId: f.splitVersionId, config: {} }).id;
    f.p.db.prepare('UPDATE runs SET created_at = ? WHERE id = ?').run('2999-01-01T00:00:00.000Z', newer);
    expect(f.runs.labelsChangedSince()).toEqual(new Map([[older, 2]]));
    expect(f.runs.labelsChangedSince([newer])).toEqual(new Map());
    expect(f.runs.labelsChangedSince([older, newer])).toEqual(new Map([[older, 2]]));
    // Undone changes no longer count.
    while (undo(f.p.db)) {
      /* every action */
    }
    expect(f.runs.labelsChangedSince([older]).get(older)).toBeUndefined();
    f.p.close();
  });
});
