// The splits a model can be evaluated on. Its own small module so the command line can
// check its arguments without loading TensorFlow.js.
export const EVALUATION_SPLITS = ['validation', 'test'] as const;
export type EvaluationSplit = (typeof EVALUATION_SPLITS)[number];
