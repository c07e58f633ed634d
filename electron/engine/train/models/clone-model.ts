// An independent copy of a layers model: the same architecture rebuilt from its config,
// the same weight values. Fine-tuning changes a backbone's weights and trainable flags;
// working on a copy keeps the loaded backbone intact for the next ensemble member or run.
import * as tf from '@tensorflow/tfjs';

export function cloneLayersModel(model: tf.LayersModel): tf.LayersModel {
  // fastWeightInit: skip random initialisation, the weights are overwritten next anyway.
  const copy = tf.LayersModel.fromConfig<tf.LayersModel>(tf.LayersModel, model.getConfig(), {}, true);
  // Variables take these tensors by reference; training then assigns new tensors to the
  // copy's variables, so the original's values are never changed.
  copy.setWeights(model.getWeights());
  return copy;
}
