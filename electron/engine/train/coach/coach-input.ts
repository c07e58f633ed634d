// What the coach reads, gathered from the project for one run: its recorded epochs, the
// class counts of its split version (current labels), and the settings it ran with.
import type Database from 'better-sqlite3';
import { ApiError } from '../../../api/errors.js';
import { RunsRepo } from '../../store/runs-repo.js';
import { parseTrainConfig, type TrainConfig } from '../config.js';
import type { EpochPoint, RunFacts } from './coach-types.js';

export interface CoachInput {
  history: EpochPoint[];
  facts: RunFacts;
}

function classCounts(db: Database.Database, versionId: number): RunFacts['classCounts'] {
  const rows = db
    .prepare(
      `SELECT c.name AS name, sum(a.split = 'train') AS train, sum(a.split = 'validation') AS validation
         FROM split_assignments a JOIN images i ON i.id = a.image_id JOIN classes c ON c.id = i.class_id
        WHERE a.version_id = ? AND a.split IN ('train', 'validation') AND i.status = 'ok'
        GROUP BY c.id ORDER BY c.position, c.name`,
    )
    .all(versionId) as { name: string; train: number; validation: number }[];
  return rows.map((r) => ({ class: r.name, train: r.train, validation: r.validation }));
}

function settingsOf(config: unknown): RunFacts['settings'] {
  let parsed: TrainConfig;
  try {
    const { resolved: _resolved, ...stored } = (config ?? {}) as Record<string, unknown>;
    parsed = parseTrainConfig(stored);
  } catch {
    return {};
  }
  const resolvedRate = ((config as { resolved?: { learningRate?: unknown } }).resolved?.learningRate ?? undefined) as number | undefined;
  const learningRate = parsed.learningRate ?? (typeof resolvedRate === 'number' ? resolvedRate : undefined);
  return {
    ...(learningRate === undefined ? {} : { learningRate }),
    dropout: parsed.dropout,
    weightDecay: parsed.optimizer === 'adam' ? 0 : parsed.weightDecay,
    augmentation: parsed.augmentation === 'none' || parsed.augmentation === 'default' ? parsed.augmentation : 'custom',
    epochs: parsed.epochs,
  };
}

export function coachInput(db: Database.Database, runId: number): CoachInput {
  const runs = new RunsRepo(db);
  const run = runs.get(runId);
  if (!run) throw new ApiError('not_found', `run ${runId} does not exist`, 'runId');
  const config = run.config as { earlyStopping?: { enabled?: boolean; patience?: number } } | null;
  const es = config?.earlyStopping ?? {};
  const history: EpochPoint[] = runs.epochs(runId).map((e) => ({
      epoch: e.epoch,
      trainLoss: e.trainLoss,
      trainAccuracy: e.trainAccuracy,
      valLoss: e.valLoss,
      valAccuracy: e.valAccuracy,
      learningRate: e.learningRate,
  }));
  return {
    history,
    facts: {
      classCounts: classCounts(db, run.splitVersionId),
      modelKind: run.modelKind,
      earlyStopping: {
        enabled: es.enabled ?? true,
        stoppedEarly: run.stoppedEarly,
        // A run still going has no outcome yet: its best checkpoint and recorded epochs say as much.
        bestEpoch: run.bestEpoch ?? runs.checkpoint(runId, 'best')?.epoch ?? null,
        epochsRun: Math.max(run.epochsRun, history.at(-1)?.epoch ?? 0),
        ...(es.patience === undefined ? {} : { patience: es.patience }),
      },
      diverged: run.stopReason === 'diverged',
      settings: settingsOf(run.config),
    },
  };
}
