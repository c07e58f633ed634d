// Types of the custom layers' arguments. TF.js exports the Layer class but not the types
// of its constructor arguments, so they are taken from the class itself. The layers'
// code lives in resources/export-example/holdout-layers.js (see holdout-layers.ts).
import type * as tf from '@tensorflow/tfjs';

export type Shape = (number | null)[];
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** A custom layer class as holdout-layers.js defines it: constructed with A, registered as className. */
export interface HoldoutLayerClass<A> {
  new (args: A): tf.layers.Layer;
  readonly className: string;
}
