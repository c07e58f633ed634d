// Types the custom layers share. TF.js exports the Layer class but not the types of its
// constructor arguments and call options, so they are taken from the class itself.
import * as tf from '@tensorflow/tfjs';

export type Shape = (number | null)[];
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
export type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** The one input shape a single-input layer receives (TF.js passes a list for multi-input layers). */
export function singleShape(inputShape: Shape | Shape[], layer: string): Shape {
  const first = inputShape[0];
  if (Array.isArray(first)) {
    if (inputShape.length !== 1) throw new Error(`${layer} takes one input, got ${inputShape.length}`);
    return first;
  }
  return inputShape as Shape;
}

export function singleTensor(inputs: tf.Tensor | tf.Tensor[], layer: string): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1 || !inputs[0]) throw new Error(`${layer} takes one input, got ${inputs.length}`);
  return inputs[0];
}

/** The size of a known axis; a custom layer cannot make weights for an unknown size. */
export function knownSize(shape: Shape, axis: number, layer: string): number {
  const size = shape[axis < 0 ? shape.length + axis : axis];
  if (size == null) throw new Error(`${layer} needs a known size on axis ${axis}, got shape [${shape.join(', ')}]`);
  return size;
}
