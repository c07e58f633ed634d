// Loss and accuracy on softmax outputs. Models end in a softmax (so predictions are
// probabilities everywhere, including exports). The loss adds a small epsilon so log
// never sees 0; it adds rather than clips (as Keras does) because clipping maps a NaN
// probability to a finite bound on the WebAssembly backend, which would hide a
// diverged model from the NaN guard.
import * as tf from '@tensorflow/tfjs';

const EPSILON = 1e-7;

/** Mean categorical cross-entropy of probabilities `p` against one-hot `y`. */
export function crossEntropy(p: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(p, EPSILON))), -1)))) as tf.Scalar;
}

/** Number of rows whose arg-max matches the label (a scalar, summed, not averaged). */
export function correctCount(p: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(y, -1)), 'float32')));
}
