// postinstall: brings the pretrained backbones shipped inside the `nsfwjs` npm package
// into resources/models/<id>/ as plain TensorFlow.js folders (model.json + .bin
// shards + backbone.json + LICENSE). nsfwjs stores each model as browserify modules:
// model.min.js exports the model.json object, group1-shardKofN.min.js exports the
// shard's bytes as a base64 string. We decode them once here so the app loads ordinary
// files and never executes nsfwjs code at run time.
//
// Idempotent and fast: a folder whose backbone.json names the same source version and
// whose files have the recorded sizes is left alone. A folder is built in a temporary
// sibling, fsynced, and renamed into place, so an interrupted install never leaves a
// half-written model.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = path.join(root, 'resources', 'models');
const require = createRequire(import.meta.url);
// The descriptor format written below; bump it when backbone.json gains a field.
const DESCRIPTOR_VERSION = 1;

/** What each model expects and where its features are: read from the models themselves. */
const MODELS = [
  {
    id: 'nsfwjs-mobilenet-v2',
    name: 'MobileNetV2 (224 px, from NSFWJS)',
    folder: 'mobilenet_v2',
    format: 'layers',
    inputSize: 224,
    // Keras MobileNetV2 body; the 7×7 average pooling then Flatten give 1280 values.
    featureLayer: 'flatten_1',
    featureDim: 1280,
  },
  {
    id: 'nsfwjs-mobilenet-v2-mid',
    name: 'MobileNetV2 ×1.4 (224 px, from NSFWJS)',
    folder: 'mobilenet_v2_mid',
    format: 'graph',
    inputSize: 224,
    // TF Hub's mobilenet_v2_140_224 feature vector inside the graph (1792 values).
    featureLayer:
      'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/feature_vector/SpatialSqueeze',
    featureDim: 1792,
  },
  {
    id: 'nsfwjs-inception-v3',
    name: 'InceptionV3 (299 px, from NSFWJS)',
    folder: 'inception_v3',
    format: 'layers',
    inputSize: 299,
    featureLayer: 'flatten_1',
    featureDim: 2048,
  },
];

function fail(message) {
  console.error(`copy-models: ${message}`);
  process.exit(1);
}

function nsfwjsRoot() {
  let entry;
  try {
    entry = require.resolve('nsfwjs');
  } catch {
    fail('the npm package "nsfwjs" is not installed, so the bundled backbones cannot be copied. Run `npm install` (or `npm ci`) in ' + root);
  }
  // entry is <pkg>/dist/cjs/index.js
  let dir = path.dirname(entry);
  while (!fs.existsSync(path.join(dir, 'package.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== 'nsfwjs') {
    const parent = path.dirname(dir);
    if (parent === dir) fail(`cannot find nsfwjs's package.json above ${entry}`);
    dir = parent;
  }
  return dir;
}

const BYTES = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** Bytes a weight group needs, from its specs (quantized weights are stored in the quantized dtype). */
function expectedBytes(weights) {
  let total = 0;
  for (const w of weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const dtype = w.quantization ? w.quantization.dtype : w.dtype;
    const per = BYTES[dtype];
    if (per === undefined) return undefined;
    total += n * per;
  }
  return total;
}

function writeSynced(file, data) {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function upToDate(dir, version) {
  try {
    const d = JSON.parse(fs.readFileSync(path.join(dir, 'backbone.json'), 'utf8'));
    if (d.descriptorVersion !== DESCRIPTOR_VERSION || d.source?.version !== version) return false;
    return Object.entries(d.files ?? {}).every(([f, size]) => fs.statSync(path.join(dir, f)).size === size);
  } catch {
    return false;
  }
}

function materialise(spec, pkgDir, version, licenceText) {
  const target = path.join(modelsDir, spec.id);
  if (upToDate(target, version)) return 'up to date';
  const src = path.join(pkgDir, 'dist', 'models', spec.folder);
  const json = require(path.join(src, 'model.min.js'));
  if (!json || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    fail(`${path.join(src, 'model.min.js')} does not export a TF.js model.json (nsfwjs ${version} changed its layout?)`);
  }
  const tmp = path.join(modelsDir, `.${spec.id}.${process.pid}.tmp`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const files = {};
  const manifest = json.weightsManifest.map((group) => {
    const paths = [];
    let total = 0;
    for (const shard of group.paths) {
      const base64 = require(path.join(src, `${shard}.min.js`));
      if (typeof base64 !== 'string') fail(`${path.join(src, `${shard}.min.js`)} does not export a base64 string`);
      const bytes = Buffer.from(base64, 'base64');
      const name = `${shard}.bin`;
      writeSynced(path.join(tmp, name), bytes);
      files[name] = bytes.length;
      paths.push(name);
      total += bytes.length;
    }
    const need = expectedBytes(group.weights);
    if (need !== undefined && need !== total) {
      fail(`${spec.folder}: its shards decode to ${total} bytes but its weights need ${need}`);
    }
    return { paths, weights: group.weights };
  });
  const modelJson = {
    format: json.format ?? (spec.format === 'graph' ? 'graph-model' : 'layers-model'),
    generatedBy: json.generatedBy ?? `keras v${json.modelTopology.keras_version ?? '?'}`,
    convertedBy: json.convertedBy ?? null,
    modelTopology: json.modelTopology,
    weightsManifest: manifest,
    ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
  };
  const modelText = JSON.stringify(modelJson);
  writeSynced(path.join(tmp, 'model.json'), modelText);
  files['model.json'] = Buffer.byteLength(modelText);
  writeSynced(path.join(tmp, 'LICENSE'), licenceText);
  const descriptor = {
    descriptorVersion: DESCRIPTOR_VERSION,
    id: spec.id,
    name: spec.name,
    source: {
      package: 'nsfwjs',
      version,
      path: `dist/models/${spec.folder}`,
      homepage: 'https://github.com/infinitered/nsfwjs',
    },
    licence: 'MIT',
    format: spec.format,
    inputSize: spec.inputSize,
    channels: 3,
    // nsfwjs feeds pixel/255: the model expects 0..1.
    preprocessing: { scale: 1 / 255, offset: 0 },
    resize: 'stretch',
    featureLayer: spec.featureLayer,
    featureDim: spec.featureDim,
    files,
  };
  writeSynced(path.join(tmp, 'backbone.json'), JSON.stringify(descriptor, null, 2) + '\n');
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(tmp, target);
  const dirFd = fs.openSync(modelsDir, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
  return `written (${(Object.values(files).reduce((a, b) => a + b, 0) / 1e6).toFixed(1)} MB)`;
}

const pkgDir = nsfwjsRoot();
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const licenceText = fs.readFileSync(path.join(pkgDir, 'LICENSE'));
fs.mkdirSync(modelsDir, { recursive: true });
for (const spec of MODELS) {
  const what = materialise(spec, pkgDir, pkg.version, licenceText);
  console.log(`copy-models: ${spec.id}: ${what}`);
}
