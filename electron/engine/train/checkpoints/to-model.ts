// A layers model to and from tf.io.ModelArtifacts, the in-memory form a checkpoint stores.
import * as tf from '@tensorflow/tfjs';

/** The model's topology and current weights, without touching any file. */
export async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!captured) throw new Error('TensorFlow.js saved the model without handing over its artifacts');
  return captured;
}

/** A new model with the artifacts' topology and weights (not compiled: compile it to train). */
export async function modelFromArtifacts(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}
