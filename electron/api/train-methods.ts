// The contract's methods for training, the run history, the augmentation preview and
// backbones. Spread into `methods` in contract.ts, so they are validated and bridged
// like all others. Progress arrives as the `train.progress` event.
import { z } from 'zod';
import { Id, PathString } from './schemas.js';
import {
  AugmentPreview,
  AugmentPreviewRequest,
  BackboneInfo,
  CatalogEntry,
  CoachFinding,
  ModelInspection,
  RunDetail,
  RunRow,
  TrainConfigInput,
  TrainDefaults,
} from './train-schemas.js';

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

const Empty = z.object({}).strict();
const RunRef = z.object({ runId: Id }).strict();
const RunAnswer = z.object({ run: RunRow });

export const trainMethods = {
  /** What 'auto' would choose for a split version (default: the current one), and why; every setting's default. */
  'train.defaults': method(z.object({ splitVersion: Id.optional() }).strict(), TrainDefaults),
  /**
   * Creates a run and starts it in its own worker. One training at a time: a second start
   * while one runs is refused ('busy'). A bad configuration is refused naming the field.
   */
  'train.start': method(z.object({ config: TrainConfigInput.default({}) }).strict(), RunAnswer),
  /** Stops a running run after the batch in flight; its checkpoints are kept. */
  'train.stop': method(RunRef, RunAnswer),
  /** Continues a stopped, interrupted or failed run from its last checkpoint. */
  'train.resume': method(RunRef, RunAnswer),
  /** The run that this app is training now, if any (a reopened window follows it). */
  'train.active': method(Empty, z.object({ runId: Id.nullable() })),

  /** Every run, newest first. */
  'runs.list': method(Empty, z.object({ runs: z.array(RunRow) })),
  /** One run with its configuration, epochs, checkpoints and (thinned) batches. */
  'runs.get': method(RunRef, RunDetail),
  /** What the coach makes of a run so far (its epochs, data and settings): warnings first, each with suggestions. */
  'runs.coach': method(RunRef, z.object({ findings: z.array(CoachFinding) })),

  /** The chosen image, then count − 1 augmented versions of it, as training would draw them. */
  'augment.preview': method(AugmentPreviewRequest, AugmentPreview),

  /** The backbones this project can use: its own (imported, downloaded), then the bundled ones. */
  'backbones.list': method(Empty, z.object({ backbones: z.array(BackboneInfo), defaultId: z.string() })),
  /** What a TensorFlow.js model folder offers as features, before importing it. */
  'backbones.inspect': method(z.object({ folder: PathString }).strict(), ModelInspection),
  /** Copies a TensorFlow.js model folder into the project as a backbone (checked by running it once). */
  'backbones.import': method(
    z
      .object({
        folder: PathString,
        featureLayer: z.string().min(1).max(500).optional(),
        name: z.string().trim().min(1).max(200).optional(),
        inputSize: z.number().int().min(8).max(2048).optional(),
      })
      .strict(),
    BackboneInfo,
  ),
  /** Well-known online models that can be downloaded when the machine is online. */
  'backbones.catalog': method(Empty, z.object({ entries: z.array(CatalogEntry) })),
  /** Downloads a catalog model into the project; progress as `backbones.progress` events. */
  'backbones.download': method(z.object({ id: z.string().min(1).max(200) }).strict(), BackboneInfo),
} as const;
