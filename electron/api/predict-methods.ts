// The contract's methods for predicting on new images. Spread into `methods` in
// contract.ts. Predicting runs in a worker (never in the window or the main process);
// progress arrives as `predict.progress` events. Images added to the project from the
// results come in unlabeled, their predicted class kept as a suggestion a person
// confirms (labels.assign, undoable) or dismisses in the Library.
import { z } from 'zod';
import { Id, PathString } from './schemas.js';
import {
  AddToProjectResult,
  ImagePrediction,
  MAX_ADD_FILES,
  MAX_PREDICT_FILES,
  PredictModel,
  PredictResult,
  SuggestedImage,
} from './predict-schemas.js';

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

const ClassName = z.string().trim().min(1, 'a class name is required').max(200);

export const predictMethods = {
  /**
   * Predicts a run's classes (the newest completed run's by default in the UI; ensembles
   * average their members) for image files and folders (absolute paths; folders are walked
   * as Import walks them). At most MAX_PREDICT_FILES files per call. An image that cannot
   * be read gets its own error; the others are predicted.
   */
  'predict.run': method(
    z
      .object({
        runId: Id,
        paths: z.array(PathString).min(1, 'give at least one image file or folder').max(MAX_PREDICT_FILES),
        /** Add a 96 px data: URL thumbnail to each result (default true). */
        thumbnails: z.boolean().default(true),
      })
      .strict(),
    PredictResult,
  ),
  /**
   * Imports files into the project as unlabeled images; each suggestion records its class
   * as the image's suggested label (never its label). Refused while an import runs.
   */
  'predict.addToProject': method(
    z
      .object({
        runId: Id.optional(),
        paths: z.array(PathString).max(MAX_ADD_FILES).default([]),
        suggestions: z
          .array(z.object({ path: PathString, className: ClassName, confidence: z.number().min(0).max(1).optional() }).strict())
          .max(MAX_ADD_FILES)
          .default([]),
      })
      .strict(),
    AddToProjectResult,
  ),
  /** Writes the predictions table as a new CSV file in the project's exports folder. */
  'predict.exportCsv': method(
    z.object({ model: PredictModel, results: z.array(ImagePrediction).max(1_000_000) }).strict(),
    z.object({ path: z.string(), rows: z.number().int() }),
  ),
  /** Unlabeled images with a suggested label, surest first, and how many there are. */
  'predict.suggestions': method(
    z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    z.object({ total: z.number().int(), items: z.array(SuggestedImage) }),
  ),
  /** Clears the suggested labels of these images (their labels are not touched). */
  'predict.dismissSuggestions': method(
    z.object({ imageIds: z.array(Id).min(1, 'select at least one image').max(200_000) }).strict(),
    z.object({ dismissed: z.number().int() }),
  ),
} as const;
