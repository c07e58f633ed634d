// A trained run's model, loaded from its best (or last) checkpoint with what it needs
// to be used: how images become its input, and its class names. For evaluation,
// prediction and export; the checkpoint is verified before anything is loaded.
import path from 'node:path';
import type Database from 'better-sqlite3';
import type * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../../api/errors.js';
import { RunsRepo, type Checkpoint } from '../../store/runs-repo.js';
import { readCheckpoint } from '../checkpoints/checkpoint-files.js';
import { modelFromArtifacts } from '../checkpoints/to-model.js';
// Registers the Vision Transformer's custom layers, so its checkpoints load.
import '../models/small-vit.js';
import type { CheckpointState } from './run-training.js';

export interface RunModel {
  model: tf.LayersModel;
  state: CheckpointState;
  checkpoint: Checkpoint;
}

export async function loadRunModel(db: Database.Database, projectDir: string, runId: number, which: 'best' | 'last' = 'best'): Promise<RunModel> {
  const runs = new RunsRepo(db);
  if (!runs.get(runId)) throw new ApiError('not_found', `run ${runId} does not exist`, 'run');
  const checkpoint = runs.checkpoint(runId, which);
  if (!checkpoint) throw new ApiError('not_found', `run ${runId} has no ${which} checkpoint yet: it has not finished an epoch`, 'run');
  const saved = await readCheckpoint(path.join(projectDir, checkpoint.path));
  return { model: await modelFromArtifacts(saved.modelArtifacts), state: saved.state as CheckpointState, checkpoint };
}
