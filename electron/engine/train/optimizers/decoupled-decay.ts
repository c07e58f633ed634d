// Decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay Regularization"):
// shrink the weights directly, w ← w − lr·wd·w, instead of adding wd·w to the gradient,
// where Adam's per-parameter scaling would weaken the decay of exactly the weights
// with large gradients. Shared by AdamW and SGDW.
import * as tf from '@tensorflow/tfjs';

/** What an optimizer's applyGradients receives: a name → gradient map or a list of named gradients. */
export type VariableGradients = Parameters<tf.Optimizer['applyGradients']>[0];

/**
 * Only kernels (rank ≥ 2: dense, convolution, depthwise, embedding matrices) decay.
 * Biases and normalization parameters (gamma, beta, moving statistics) are rank 1;
 * pulling them towards zero does not regularise, it only shifts activations.
 */
export function decays(variable: tf.Variable): boolean {
  return variable.rank >= 2;
}

/**
 * Applies w ← w·(1 − lr·wd) to every rank ≥ 2 variable that has a gradient in this step
 * (a variable without a gradient is not being trained, so it is left alone, as the
 * optimizer's own step leaves it alone).
 */
export function applyDecoupledDecay(
  variableGradients: VariableGradients,
  learningRate: number,
  weightDecay: number,
): void {
  if (weightDecay === 0) return;
  const factor = 1 - learningRate * weightDecay;
  const registered = tf.engine().registeredVariables;
  const entries: Array<[string, tf.Tensor | undefined]> = Array.isArray(variableGradients)
    ? variableGradients.map((g) => [g.name, g.tensor])
    : Object.entries(variableGradients);
  tf.tidy(() => {
    for (const [name, gradient] of entries) {
      if (gradient == null) continue;
      const variable = registered[name];
      if (variable === undefined) throw new Error(`weight decay: no variable named "${name}" is registered`);
      if (!decays(variable)) continue;
      variable.assign(tf.mul(variable, factor));
    }
  });
}

export function checkWeightDecay(weightDecay: number): number {
  if (!Number.isFinite(weightDecay) || weightDecay < 0) {
    throw new Error(`weightDecay must be a finite number ≥ 0, got ${weightDecay}`);
  }
  return weightDecay;
}
