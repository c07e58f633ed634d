// One place that turns the training form's optimizer settings into a TensorFlow.js
// optimizer, so the worker, the command line and resume all build the same thing.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ApiError, fromZodError } from '../../../api/errors.js';
import { AdamWOptimizer } from './adamw.js';
import { SGDWOptimizer } from './sgdw.js';

// Keras's defaults. Epsilon is fixed here rather than left to the backend (tf's Adam
// asks the backend when it is null) so a run resumed on another backend steps alike.
export const OPTIMIZER_DEFAULTS = { momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

const fraction = z.number().min(0).lt(1);

export const optimizerConfigSchema = z
  .object({
    kind: z.enum(['adamw', 'adam', 'sgd']),
    learningRate: z.number().positive().max(10),
    weightDecay: z.number().min(0).max(1),
    momentum: fraction.optional(),
    beta1: fraction.optional(),
    beta2: fraction.optional(),
    epsilon: z.number().positive().max(1).optional(),
  })
  .strict();

export type OptimizerConfig = z.infer<typeof optimizerConfigSchema>;
export type OptimizerKind = OptimizerConfig['kind'];

/**
 * adamw → AdamW (decoupled decay on kernels), adam → tf's Adam, sgd → SGD with momentum
 * and decoupled decay (momentum 0 gives plain SGD). Throws an ApiError naming the field
 * for an out-of-range value.
 */
export function makeOptimizer(cfg: OptimizerConfig): tf.Optimizer {
  const parsed = optimizerConfigSchema.safeParse(cfg);
  if (!parsed.success) throw fromZodError(parsed.error, 'optimizer settings');
  const c = parsed.data;
  const beta1 = c.beta1 ?? OPTIMIZER_DEFAULTS.beta1;
  const beta2 = c.beta2 ?? OPTIMIZER_DEFAULTS.beta2;
  const epsilon = c.epsilon ?? OPTIMIZER_DEFAULTS.epsilon;
  switch (c.kind) {
    case 'adamw':
      return new AdamWOptimizer(c.learningRate, beta1, beta2, epsilon, c.weightDecay);
    case 'adam':
      // Plain Adam has no decay of its own; silently ignoring the setting would let a
      // person believe they regularise when they do not.
      if (c.weightDecay > 0) {
        throw new ApiError(
          'invalid_request',
          'optimizer settings: field "weightDecay": Adam has no weight decay; choose AdamW to use it, or set it to 0',
          'weightDecay',
        );
      }
      return tf.train.adam(c.learningRate, beta1, beta2, epsilon);
    case 'sgd':
      return new SGDWOptimizer(c.learningRate, c.momentum ?? OPTIMIZER_DEFAULTS.momentum, false, c.weightDecay);
  }
}
