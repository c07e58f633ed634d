// SGD with momentum and decoupled weight decay ("SGDW"): the kernels shrink by
// lr·wd·w before TensorFlow.js's momentum step (accum ← m·accum + g; w ← w − lr·accum).
// Decoupled rather than an L2 term in the gradient, so the decay is not amplified by
// the momentum buffer and matches what AdamW does.
import * as tf from '@tensorflow/tfjs';
import { applyDecoupledDecay, checkWeightDecay } from './decoupled-decay.js';

export class SGDWOptimizer extends tf.MomentumOptimizer {
  static override get className(): string {
    return 'SGDW';
  }

  readonly weightDecay: number;

  constructor(learningRate: number, momentum: number, useNesterov: boolean, weightDecay: number) {
    super(learningRate, momentum, useNesterov);
    this.weightDecay = checkWeightDecay(weightDecay);
  }

  override applyGradients(variableGradients: Parameters<tf.MomentumOptimizer['applyGradients']>[0]): void {
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
    const Ctor = cls as unknown as new (lr: number, m: number, nesterov: boolean, wd: number) => T;
    return new Ctor(
      config['learningRate'] as number,
      config['momentum'] as number,
      (config['useNesterov'] as boolean | undefined) ?? false,
      (config['weightDecay'] as number | undefined) ?? 0,
    );
  }
}

tf.serialization.registerClass(SGDWOptimizer);
