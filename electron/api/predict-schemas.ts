// Shapes of the predict part of the contract: a run's predictions on images from
// anywhere (files or folders), adding some of them to the project with the predicted
// class as a suggestion to confirm, and the Library's list of those suggestions.
import { z } from 'zod';
import { Id } from './schemas.js';

/** Most files one predict.run call reads (folders expanded); the CLI has no such cap. */
export const MAX_PREDICT_FILES = 2000;
/** Most files one predict.addToProject call imports. */
export const MAX_ADD_FILES = 2000;

export const PredictPhase = z.enum(['reading', 'features', 'predicting']);

/** Which model answered: a run's best checkpoint, or the average of an ensemble's members. */
export const PredictModel = z.object({
  runId: Id,
  runName: z.string(),
  kind: z.enum(['single', 'ensemble', 'member']),
  /** 1 for a single run or a member; the number of averaged members for an ensemble. */
  members: z.number().int(),
  memberRunIds: z.array(Id),
  /** The best checkpoint's epoch of each model, in memberRunIds order. */
  checkpointEpochs: z.array(z.number().int()),
  modelKind: z.string(),
  classes: z.array(z.string()),
  /** The TensorFlow.js backend the numbers were computed on. */
  backend: z.string().nullable(),
});

export const ImagePrediction = z.object({
  path: z.string(),
  ok: z.boolean(),
  /** Null when the image could not be predicted (then `error` says why). */
  predicted: z.string().nullable(),
  confidence: z.number().nullable(),
  /** Class name → probability; null on error. */
  probabilities: z.record(z.string(), z.number()).nullable(),
  error: z.string().optional(),
  /** A 96 px WebP data: URL (outside files have no project thumbnail); null when none could be made. */
  thumbnail: z.string().nullable().optional(),
});

export const PredictResult = z.object({
  model: PredictModel,
  results: z.array(ImagePrediction),
  summary: z.object({ images: z.number().int(), failed: z.number().int() }),
});

export const PredictProgress = z.object({
  runId: Id,
  phase: z.union([PredictPhase, z.enum(['done', 'failed'])]),
  done: z.number().int(),
  total: z.number().int(),
  error: z.string().nullable(),
});

export const AddToProjectResult = z.object({
  importId: Id.nullable(),
  /** New images in the project. */
  imported: z.number().int(),
  /** Images that now carry a suggested label. */
  suggested: z.number().int(),
  /** Files not imported, or not given a suggestion, and why. */
  errors: z.array(z.object({ path: z.string(), reason: z.string() })),
});

/** An image waiting for a person to confirm or dismiss its suggested label. */
export const SuggestedImage = z.object({
  imageId: Id,
  sha256: z.string(),
  relPath: z.string(),
  suggestedClassId: Id,
  suggestedClass: z.string(),
  confidence: z.number().nullable(),
  /** The run that suggested it (null once that run is deleted). */
  byRunId: Id.nullable(),
});
