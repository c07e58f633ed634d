// Well-known pretrained image models published in TensorFlow.js format, offered for
// download when the machine is online. Each URL is the model.json itself; the shards
// sit beside it (download-model.ts). Google's TF Hub models moved to Kaggle, which
// serves the raw TF.js files when asked with "?tfjs-format=file" (what tf.loadGraphModel's
// fromTFHub option appends). These URLs cannot be checked from the offline build
// machines; the downloader reports a clear error if one has moved.
import { ApiError } from '../../../api/errors.js';
import type { BackboneDescriptor } from './descriptor.js';

export interface CatalogEntry {
  id: string;
  name: string;
  description: string;
  modelUrl: string;
  homepage: string;
  licence: string;
  format: 'layers' | 'graph';
  inputSize: number;
  /** A layer or node; null: the model's own output is the feature vector (the suggested node is used). */
  featureLayer: string | null;
  featureDim: number;
  preprocessing: BackboneDescriptor['preprocessing'];
  approxMegabytes: number;
}

const KAGGLE = 'https://www.kaggle.com/models/google';
const TFHUB_FILE = 'model.json?tfjs-format=file';
// TF Hub image models take 0..1; Keras' MobileNet V1 takes -1..1.
const UNIT = { scale: 1 / 255, offset: 0 };
const SIGNED = { scale: 2 / 255, offset: -1 };

export const onlineCatalog: readonly CatalogEntry[] = [
  {
    id: 'mobilenet-v3-large-100-224',
    name: 'MobileNetV3 Large (ImageNet, 224 px)',
    description: 'Accurate and still fast; a good first choice for photos.',
    modelUrl: `${KAGGLE}/mobilenet-v3/TfJs/large-100-224-feature-vector/1/${TFHUB_FILE}`,
    homepage: 'https://www.kaggle.com/models/google/mobilenet-v3/tfJs/large-100-224-feature-vector',
    licence: 'Apache-2.0',
    format: 'graph',
    inputSize: 224,
    featureLayer: null,
    featureDim: 1280,
    preprocessing: UNIT,
    approxMegabytes: 22,
  },
  {
    id: 'mobilenet-v3-small-100-224',
    name: 'MobileNetV3 Small (ImageNet, 224 px)',
    description: 'The fastest here; for slow computers and many images.',
    modelUrl: `${KAGGLE}/mobilenet-v3/TfJs/small-100-224-feature-vector/1/${TFHUB_FILE}`,
    homepage: 'https://www.kaggle.com/models/google/mobilenet-v3/tfJs/small-100-224-feature-vector',
    licence: 'Apache-2.0',
    format: 'graph',
    inputSize: 224,
    featureLayer: null,
    featureDim: 1024,
    preprocessing: UNIT,
    approxMegabytes: 6,
  },
  {
    id: 'mobilenet-v2-100-224',
    name: 'MobileNetV2 (ImageNet, 224 px)',
    description: 'The classic transfer-learning backbone, trained on ImageNet.',
    modelUrl: `${KAGGLE}/mobilenet-v2/TfJs/100-224-feature-vector/3/${TFHUB_FILE}`,
    homepage: 'https://www.kaggle.com/models/google/mobilenet-v2/tfJs/100-224-feature-vector',
    licence: 'Apache-2.0',
    format: 'graph',
    inputSize: 224,
    featureLayer: null,
    featureDim: 1280,
    preprocessing: UNIT,
    approxMegabytes: 9,
  },
  {
    id: 'mobilenet-v2-140-224',
    name: 'MobileNetV2 ×1.4 (ImageNet, 224 px)',
    description: 'A wider MobileNetV2: more accurate, about twice as slow.',
    modelUrl: `${KAGGLE}/mobilenet-v2/TfJs/140-224-feature-vector/3/${TFHUB_FILE}`,
    homepage: 'https://www.kaggle.com/models/google/mobilenet-v2/tfJs/140-224-feature-vector',
    licence: 'Apache-2.0',
    format: 'graph',
    inputSize: 224,
    featureLayer: null,
    featureDim: 1792,
    preprocessing: UNIT,
    approxMegabytes: 18,
  },
  {
    id: 'mobilenet-v1-100-224',
    name: 'MobileNetV1 (ImageNet, 224 px, layers model)',
    description: 'A layers model, so it can be fine-tuned, not only used frozen.',
    modelUrl: 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_1.0_224/model.json',
    homepage: 'https://github.com/tensorflow/tfjs-models/tree/master/mobilenet',
    licence: 'Apache-2.0',
    format: 'layers',
    inputSize: 224,
    // The last convolution's 7×7 map; Holdout averages it over space (1024 values).
    featureLayer: 'conv_pw_13_relu',
    featureDim: 1024,
    preprocessing: SIGNED,
    approxMegabytes: 17,
  },
  {
    id: 'mobilenet-v1-025-224',
    name: 'MobileNetV1 ×0.25 (ImageNet, 224 px, layers model)',
    description: 'Tiny and quick to fine-tune; less accurate.',
    modelUrl: 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json',
    homepage: 'https://github.com/tensorflow/tfjs-models/tree/master/mobilenet',
    licence: 'Apache-2.0',
    format: 'layers',
    inputSize: 224,
    featureLayer: 'conv_pw_13_relu',
    featureDim: 256,
    preprocessing: SIGNED,
    approxMegabytes: 2,
  },
];

export function catalogEntry(id: string): CatalogEntry {
  const entry = onlineCatalog.find((e) => e.id === id);
  if (!entry) {
    throw new ApiError('not_found', `no online model "${id}"; the catalog has: ${onlineCatalog.map((e) => e.id).join(', ')}`, 'model');
  }
  return entry;
}
