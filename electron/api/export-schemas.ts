// Shapes of the export part of the contract: exporting a run (or an ensemble) as a
// self-contained TF.js folder with its parity check, and the progress of that work.
import { z } from 'zod';
import { Id, PathString } from './schemas.js';

export const ExportPhase = z.enum(['loading', 'writing', 'in-app', 'example', 'finishing']);

/** The exported files, run in a fresh process, against the app's own probabilities. */
export const ParityResult = z.object({
  /** Validation images compared (at most 32). */
  images: z.number().int(),
  /** Largest |p_app − p_export| over every image and class; null when nothing could be compared. */
  maxAbsDiff: z.number().nullable(),
  /** maxAbsDiff < tolerance. A failure is an error: the export is marked failed in its model card. */
  passed: z.boolean(),
  tolerance: z.number(),
  exampleBackend: z.string(),
  appBackend: z.string(),
  /** Why it failed; null when it passed. */
  error: z.string().nullable(),
});

export const ExportRunRequest = z.object({ runId: Id, outDir: PathString }).strict();

export const ExportRunResult = z.object({
  outDir: z.string(),
  /** Every file of the export, relative to outDir, '/'-separated. */
  files: z.array(z.string()),
  parity: ParityResult,
});

export const ExportProgress = z.object({
  runId: Id,
  outDir: z.string(),
  phase: z.union([ExportPhase, z.enum(['done', 'failed'])]),
  done: z.number().int(),
  total: z.number().int(),
  /** 'failed' only: why. */
  error: z.string().nullable(),
});
