// AdamW: Adam with decoupled weight decay. TensorFlow.js ships Adam but no AdamW; this
// subclass shrinks the kernels before each Adam step and otherwise is Adam, so its
// state (moments, iteration count) saves and restores exactly as Adam's does.
import * as tf from '@tensorflow/tfjs';
import { applyDecoupledDecay, checkWeightDecay } from './decoupled-decay.js';

export class AdamWOptimizer extends tf.AdamOptimizer {
  /** The name under which models saved with this optimizer find it again. */
  static override get className(): string {
    return 'AdamW';
  }

  readonly weightDecay: number;

  constructor(learningRate: number, beta1: number, beta2: number, epsilon: number | null, weightDecay: number) {
    // tf's own signature types epsilon as number but treats null as "the backend's epsilon".
    super(learningRate, beta1, beta2, epsilon as number);
    this.weightDecay = checkWeightDecay(weightDecay);
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    // Decay first, from the weights before this step: w ← w − lr·wd·w, then the Adam step
    // (which does not depend on w, so the order only matters for readability).
    applyDecoupledDecay(variableGradients, this.learningRate, this.weightDecay);
    super.applyGradients(variableGradients);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const Ctor = cls as unknown as new (
      lr: number,
      b1: number,
      b2: number,
      eps: number | null,
      wd: number,
    ) => T;
    return new Ctor(
      config['learningRate'] as number,
      config['beta1'] as number,
      config['beta2'] as number,
      (config['epsilon'] as number | undefined) ?? null,
      (config['weightDecay'] as number | undefined) ?? 0,
    );
  }
}

tf.serialization.registerClass(AdamWOptimizer);
