// preprocessing.json: everything that happens to an image before the model, written from
// the same constants the app's decode uses (decode-image.ts, feeders.ts, backbone.ts), so
// the example code, or any other code, can reproduce the app's input exactly.
import { createRequire } from 'node:module';
import type { MemberLayout } from './write-member.js';

const require = createRequire(import.meta.url);

export interface PreprocessingDoc {
  format: 'holdout-preprocessing';
  version: 1;
  decode: {
    library: string;
    failOn: 'none';
    limitInputPixels: number;
    autoOrient: true;
    kernel: 'lanczos3';
    background: '#ffffff';
    colourSpace: { '3': 'srgb'; '1': 'b-w' };
  };
  /** The app scores at most this many images per model call (it does not change the result). */
  batchSize: number;
  members: MemberLayout[];
  combine: 'single model' | 'mean of the members\' probabilities';
  steps: string[];
}

export function sharpVersion(): string {
  return (require('sharp/package.json') as { version: string }).version;
}

export function preprocessingDoc(members: MemberLayout[]): PreprocessingDoc {
  const m0 = members[0]!;
  const steps = [
    'Read the file\'s bytes and decode them with sharp (libvips): sharp(bytes, { failOn: "none", limitInputPixels: 268402689 }).',
    'Apply the EXIF orientation: .rotate() with no angle.',
    `Resize to size × size (members[i].input.size; ${m0.input.size} for the first model) with kernel lanczos3: fit "fill" stretches the whole image, fit "cover" scales the short side to size and crops the centre.`,
    'Flatten transparency onto white: .flatten({ background: "#ffffff" }).',
    'Convert the colour space: .toColourspace("srgb") for 3 channels, .toColourspace("b-w") for 1; take the raw 8-bit pixels, row-major, channels last (HWC). If libvips returns more bands than asked for, keep the first ones.',
    'Make a float32 tensor [N, size, size, channels] and DIVIDE it by 255 (values 0..1; divide, do not multiply by 1/255: the rounding differs).',
    'If members[i].normalise is set, compute x · multiply + add (the backbone\'s own input range).',
    ...(members.some((m) => m.customLayers)
      ? [
          'Before loading a model whose members[i].customLayers is set (a small Vision Transformer), register its custom layers: load that file (example/holdout-layers.js, the same definition the app computes with) and call defineHoldoutLayers(tf). In Node: require("./holdout-layers.js").defineHoldoutLayers(tf); in a page: <script src="holdout-layers.js"> after tf.min.js, then defineHoldoutLayers(tf). Models without customLayers need no such step.',
        ]
      : []),
    'Run members[i].stages in order: a "graph" stage executes the graph model up to outputNode and averages that 4-D output over height and width (one vector per image); a "layers" stage is model.predict. The last stage gives softmax probabilities in labels.json order.',
    members.length > 1
      ? `This is an ensemble of ${members.length} models: the prediction is the mean of their probabilities (element-wise, each image), and its class the largest mean.`
      : 'The predicted class is the one with the largest probability.',
  ];
  return {
    format: 'holdout-preprocessing',
    version: 1,
    decode: {
      library: `sharp ${sharpVersion()}`,
      failOn: 'none',
      limitInputPixels: 268_402_689,
      autoOrient: true,
      kernel: 'lanczos3',
      background: '#ffffff',
      colourSpace: { '3': 'srgb', '1': 'b-w' },
    },
    batchSize: 64,
    members,
    combine: members.length > 1 ? "mean of the members' probabilities" : 'single model',
    steps,
  };
}
