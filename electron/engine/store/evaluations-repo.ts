// Saved evaluations (migration 5): the result of evaluateRun kept whole, so a window
// reopened later shows it again (and its confusion-matrix galleries) without scoring
// again, and without spending another use of the test set. Written in one transaction:
// an evaluation is either saved with every image it scored, or not at all.
import type Database from 'better-sqlite3';
import { STANDING_RELABELS } from './history-repo.js';
import { ApiError } from '../../api/errors.js';
import type { ClassMetrics } from '../evaluate/class-metrics.js';
import type { EvaluationResult } from '../evaluate/evaluate-run.js';
import type { EvaluationSplit } from '../evaluate/evaluation-split.js';
import type { Prediction } from '../evaluate/mistakes.js';
import { MISTAKES_SHOWN } from '../evaluate/mistakes.js';
import type { HumanQuizAccuracy } from '../evaluate/quiz-accuracy.js';

/**
 * What save needs of an evaluateRun result (its full type satisfies it): the result less
 * what is derived again on reading (the surest mistakes, the quiz's headline), with
 * members, gain and the ledger's fields optional, as a single model or validation leaves them out.
 */
export type EvaluationToSave = Omit<
  EvaluationResult,
  'predictions' | 'mostConfidentMistakes' | 'labelsChangedSinceRun' | 'quizAccuracy' | 'members' | 'gain' | 'reused'
> & {
  predictions: readonly Pick<Prediction, 'imageId' | 'actual' | 'predicted' | 'confidence'>[];
  labelsChangedSinceRun: readonly number[];
  /** An ensemble's members on the same images, and the gain over their mean; absent (null) for one model. */
  members?: readonly EnsembleMemberScore[] | null | undefined;
  gain?: number | null | undefined;
};

export interface EvaluationRow {
  id: number;
  runId: number;
  split: EvaluationSplit;
  splitVersionId: number;
  createdAt: string;
  checkpointEpoch: number;
  evaluated: number;
  accuracy: number;
  macroF1: number | null;
  testUses: number | null;
  reuseMark: string | null;
}

export interface EvaluatedImage {
  imageId: number;
  sha256: string;
  relPath: string;
  /** The label when evaluated. */
  actual: string;
  predicted: string;
  confidence: number;
  /** The label now; null when the image is unlabeled now. */
  currentLabel: string | null;
}

/** One member of an evaluated ensemble, scored on the same images. */
export interface EnsembleMemberScore {
  runId: number;
  name: string;
  accuracy: number;
  loss: number;
}

/** The part of an evaluation kept as JSON. */
interface Summary {
  modelKind: string;
  backend: string | null;
  loss: number;
  perClass: ClassMetrics[];
  confusion: { classes: string[]; matrix: number[][] };
  skipped: { unlabeled: number; excluded: number; classNotInModel: number };
  labelsChangedSinceRun: number;
  quiz: HumanQuizAccuracy | null;
  /** Ensembles only; evaluations saved before ensembles existed have neither (read as null). */
  members: EnsembleMemberScore[] | null;
  gain: number | null;
}

export interface Evaluation extends EvaluationRow, Omit<Summary, 'quiz'> {
  mostConfidentMistakes: EvaluatedImage[];
  /** Evaluated images whose label changed after the evaluation. */
  labelsChangedSinceEvaluation: number;
  quiz: HumanQuizAccuracy | null;
  ledgerEntryId: number | null;
}

export interface ImagesQuery {
  evaluationId: number;
  actual?: string | undefined;
  predicted?: string | undefined;
  mistakesOnly?: boolean | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

interface Row {
  id: number;
  run_id: number;
  split: EvaluationSplit;
  split_version_id: number;
  created_at: string;
  checkpoint_epoch: number;
  evaluated: number;
  accuracy: number;
  macro_f1: number | null;
  test_uses: number | null;
  reuse_mark: string | null;
  ledger_entry_id: number | null;
  summary_json: string;
}

function rowOf(r: Row): EvaluationRow {
  return {
    id: r.id,
    runId: r.run_id,
    split: r.split,
    splitVersionId: r.split_version_id,
    createdAt: r.created_at,
    checkpointEpoch: r.checkpoint_epoch,
    evaluated: r.evaluated,
    accuracy: r.accuracy,
    macroF1: r.macro_f1,
    testUses: r.test_uses,
    reuseMark: r.reuse_mark,
  };
}

const IMAGE_COLUMNS = `e.image_id AS imageId, i.sha256, i.rel_path AS relPath, e.actual, e.predicted, e.confidence, c.name AS currentLabel`;
const IMAGE_JOIN = `evaluation_images e JOIN images i ON i.id = e.image_id LEFT JOIN classes c ON c.id = i.class_id`;

export class EvaluationsRepo {
  constructor(private readonly db: Database.Database) {}

  /**
   * Saves an evaluation with every image it scored, in one transaction; returns its id.
   * `createdAt` is when its images were read (an ISO time as the database writes it).
   */
  save(result: EvaluationToSave, createdAt: string = new Date().toISOString()): number {
    const isTest = result.split === 'test';
    if (isTest && (result.testUses === undefined || result.ledgerEntryId === undefined)) {
      throw new ApiError('invalid_request', 'a test evaluation is saved with its ledger entry and its use count', 'testUses');
    }
    const summary: Summary = {
      modelKind: result.modelKind,
      backend: result.backend,
      loss: result.loss,
      perClass: result.perClass,
      confusion: result.confusion,
      skipped: result.skipped,
      labelsChangedSinceRun: result.labelsChangedSinceRun.length,
      quiz: result.quiz,
      members: result.members ? [...result.members] : null,
      gain: result.gain ?? null,
    };
    const insertImage = this.db.prepare('INSERT INTO evaluation_images (evaluation_id, image_id, actual, predicted, confidence) VALUES (?, ?, ?, ?, ?)');
    return this.db.transaction(() => {
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO evaluations (run_id, split, split_version_id, created_at, checkpoint_epoch, evaluated, accuracy, macro_f1,
                                      test_uses, reuse_mark, ledger_entry_id, summary_json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            result.runId,
            result.split,
            result.splitVersionId,
            createdAt,
            result.checkpointEpoch,
            result.evaluated,
            result.accuracy,
            result.macroF1,
            isTest ? result.testUses : null,
            isTest ? (result.reuseMark ?? null) : null,
            isTest ? result.ledgerEntryId : null,
            JSON.stringify(summary),
          ).lastInsertRowid,
      );
      for (const p of result.predictions) insertImage.run(id, p.imageId, p.actual, p.predicted, p.confidence);
      return id;
    }).immediate();
  }

  /** Saved evaluations, newest first; of one run when runId is given. */
  list(runId?: number): EvaluationRow[] {
    const rows =
      runId === undefined
        ? (this.db.prepare('SELECT * FROM evaluations ORDER BY id DESC').all() as Row[])
        : (this.db.prepare('SELECT * FROM evaluations WHERE run_id = ? ORDER BY id DESC').all(runId) as Row[]);
    return rows.map(rowOf);
  }

  get(id: number): Evaluation | undefined {
    const r = this.db.prepare('SELECT * FROM evaluations WHERE id = ?').get(id) as Row | undefined;
    if (!r) return undefined;
    const summary = JSON.parse(r.summary_json) as Summary;
    const mistakes = this.db
      .prepare(`SELECT ${IMAGE_COLUMNS} FROM ${IMAGE_JOIN} WHERE e.evaluation_id = ? AND e.actual <> e.predicted ORDER BY e.confidence DESC, e.image_id LIMIT ?`)
      .all(id, MISTAKES_SHOWN) as EvaluatedImage[];
    return {
      ...rowOf(r),
      ...summary,
      members: summary.members ?? null,
      gain: summary.gain ?? null,
      mostConfidentMistakes: mistakes,
      labelsChangedSinceEvaluation: this.labelsChangedSince(id, r.created_at),
      ledgerEntryId: r.ledger_entry_id,
    };
  }

  /**
   * The images of one evaluation, surest first (ties: lower image id first): one
   * confusion-matrix cell (actual and predicted), one class's row or column, or the
   * mistakes. A class name that is not among the evaluation's classes is refused.
   */
  images(q: ImagesQuery): { total: number; images: EvaluatedImage[] } {
    const r = this.db.prepare('SELECT summary_json FROM evaluations WHERE id = ?').get(q.evaluationId) as { summary_json: string } | undefined;
    if (!r) throw new ApiError('not_found', `there is no saved evaluation ${q.evaluationId}`, 'evaluationId');
    const classes = (JSON.parse(r.summary_json) as Summary).confusion.classes;
    const where = ['e.evaluation_id = ?'];
    const params: unknown[] = [q.evaluationId];
    for (const field of ['actual', 'predicted'] as const) {
      const name = q[field];
      if (name === undefined) continue;
      if (!classes.includes(name)) {
        throw new ApiError('invalid_request', `"${name}" is not one of this evaluation's classes (${classes.join(', ')})`, field);
      }
      where.push(`e.${field} = ?`);
      params.push(name);
    }
    if (q.mistakesOnly) where.push('e.actual <> e.predicted');
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 100;
    const total = this.db.prepare(`SELECT count(*) FROM ${IMAGE_JOIN} WHERE ${where.join(' AND ')}`).pluck().get(...params) as number;
    const images = this.db
      .prepare(`SELECT ${IMAGE_COLUMNS} FROM ${IMAGE_JOIN} WHERE ${where.join(' AND ')} ORDER BY e.confidence DESC, e.image_id LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as EvaluatedImage[];
    return { total, images };
  }

  /** Evaluated images whose class a labeling action (not undone) changed after `since`. */
  private labelsChangedSince(evaluationId: number, since: string): number {
    return this.db
      .prepare(
        `SELECT count(DISTINCT c.image_id)
           FROM ${STANDING_RELABELS}
           JOIN evaluation_images e ON e.evaluation_id = ? AND e.image_id = c.image_id
          WHERE a.created_at > ?`,
      )
      .pluck()
      .get(evaluationId, since) as number;
  }
}
