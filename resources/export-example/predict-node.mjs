// Predicts the class of images with a model exported by Holdout, in plain Node.
//
//   cd example && npm install          (installs @tensorflow/tfjs and sharp, see package.json)
//   node predict-node.mjs photo.jpg other.png
//   node predict-node.mjs --json photo.jpg          one JSON object with every probability
//   node predict-node.mjs --backend cpu photo.jpg   force a backend (default: wasm if installed, else cpu)
//
// It reads ../preprocessing.json and ../labels.json and prepares each image exactly as
// the app did (the same sharp calls in the same order), so its probabilities are the
// app's. Holdout itself runs this file in a fresh process after every export and compares
// (the "parity check" in model-card.md).
//
// Packages are loaded with require() so they can come from this folder's node_modules or
// from any folder on NODE_PATH.
//
// A small Vision Transformer uses Holdout's own layers: preprocessing.json then names, for
// that member, the file defining them (members[i].customLayers.file, holdout-layers.js in
// this folder) and it is loaded and registered BEFORE the model. Other models never load it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const exportDir = path.resolve(here, '..');

function usage(message) {
  if (message) console.error(message);
  console.error('usage: node predict-node.mjs [--json] [--backend wasm|cpu] <image>...');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { json: false, backend: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--backend') {
      opts.backend = argv[++i];
      if (opts.backend !== 'wasm' && opts.backend !== 'cpu') usage(`--backend must be wasm or cpu, not ${opts.backend}`);
    } else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else opts.files.push(a);
  }
  if (opts.files.length === 0) usage('no images given');
  return opts;
}

function readJson(rel) {
  const file = path.join(exportDir, rel);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${file}: ${err.message}`);
  }
}

async function chooseBackend(tf, wanted) {
  if (wanted !== 'cpu') {
    try {
      const wasm = require('@tensorflow/tfjs-backend-wasm');
      // The .wasm binaries sit beside the package's main file (dist/).
      wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return 'wasm';
      }
    } catch (err) {
      if (wanted === 'wasm') throw new Error(`the wasm backend is not available: ${err.message}`);
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

/** model.json + its weight files → TF.js model artifacts, read from disk (no tfjs-node needed). */
function readArtifacts(modelJsonRel) {
  const file = path.join(exportDir, modelJsonRel);
  const json = readJson(modelJsonRel);
  const dir = path.dirname(file);
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const all = Buffer.concat(shards);
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  };
}

/**
 * Registers the custom layers members need (preprocessing.json members[i].customLayers),
 * each file once, before any model loads. A missing or damaged file is an error naming it.
 */
function registerCustomLayers(tf, members) {
  const defined = new Map();
  for (const member of members) {
    const need = member.customLayers;
    if (!need) continue;
    const file = path.join(exportDir, need.file);
    let classes = defined.get(file);
    if (!classes) {
      let mod;
      try {
        mod = require(file);
      } catch (err) {
        throw new Error(`cannot load the custom layers file ${file}, which ${member.name} needs (${need.classes.join(', ')}): ${err.message}`);
      }
      if (!mod || typeof mod.defineHoldoutLayers !== 'function') {
        throw new Error(`the custom layers file ${file} is damaged: it does not define defineHoldoutLayers(tf), which ${member.name} needs`);
      }
      try {
        classes = mod.defineHoldoutLayers(tf);
      } catch (err) {
        throw new Error(`the custom layers file ${file} failed to define its layers: ${err.message}`);
      }
      defined.set(file, classes);
    }
    const registered = new Set(Object.values(classes || {}).map((c) => c && c.className));
    const missing = need.classes.filter((c) => !registered.has(c));
    if (missing.length > 0) throw new Error(`the custom layers file ${file} does not define ${missing.join(', ')}, which ${member.name} needs`);
  }
}

async function loadStage(tf, stage) {
  const handler = tf.io.fromMemory(readArtifacts(stage.path));
  const model = stage.type === 'graph' ? await tf.loadGraphModel(handler) : await tf.loadLayersModel(handler);
  return { ...stage, model };
}

/** Decodes one image exactly as Holdout's decode-image.ts: size×size×channels uint8. */
async function decode(sharp, file, d) {
  const bytes = fs.readFileSync(file);
  let img = sharp(bytes, { failOn: d.failOn, limitInputPixels: d.limitInputPixels })
    .rotate()
    .resize(d.size, d.size, { fit: d.fit, kernel: d.kernel })
    .flatten({ background: d.background });
  img = d.channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb');
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== d.size || info.height !== d.size) throw new Error(`${file}: resized to ${info.width}×${info.height}, expected ${d.size}×${d.size}`);
  if (info.channels === d.channels) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // libvips keeps an extra band in rare inputs (CMYK with alpha): keep the first ones, as the app does.
  const pixels = d.size * d.size;
  const out = new Uint8Array(pixels * d.channels);
  for (let p = 0; p < pixels; p++) for (let c = 0; c < d.channels; c++) out[p * d.channels + c] = data[p * info.channels + Math.min(c, info.channels - 1)];
  return out;
}

/** uint8 pixels of n images → the float32 batch the member's first stage takes. */
function toInput(tf, pixels, n, member) {
  const { size, channels } = member.input;
  return tf.tidy(() => {
    // Divided by 255 (not multiplied by 1/255): the same float32 rounding as the app.
    const x = tf.div(tf.tensor4d(pixels, [n, size, size, channels], 'int32').toFloat(), 255);
    const norm = member.normalise;
    return norm ? tf.add(tf.mul(x, norm.multiply), norm.add) : x;
  });
}

/** Runs a member's stages in order: [graph backbone → ] layers model. Returns n × classes. */
function runMember(tf, stages, x) {
  return tf.tidy(() => {
    let t = x;
    for (const stage of stages) {
      if (stage.type === 'graph') {
        const out = stage.model.execute(t, stage.outputNode);
        t = out.rank === 4 ? tf.mean(out, [1, 2]) : out.rank > 2 ? tf.reshape(out, [out.shape[0], -1]) : out;
      } else {
        t = stage.model.predict(t, { batchSize: t.shape[0] });
      }
    }
    return t;
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tf = require('@tensorflow/tfjs');
  const sharp = require('sharp');
  const pre = readJson('preprocessing.json');
  const labels = readJson('labels.json');
  const backend = await chooseBackend(tf, opts.backend);
  registerCustomLayers(tf, pre.members);
  const members = [];
  for (const member of pre.members) members.push({ ...member, stages: await Promise.all(member.stages.map((s) => loadStage(tf, s))) });

  const k = labels.length;
  const sums = new Float64Array(opts.files.length * k);
  const BATCH = pre.batchSize ?? 64;
  for (const member of members) {
    const d = { ...pre.decode, ...member.input };
    for (let start = 0; start < opts.files.length; start += BATCH) {
      const files = opts.files.slice(start, start + BATCH);
      const n = files.length;
      const pixels = new Uint8Array(n * d.size * d.size * d.channels);
      for (let i = 0; i < n; i++) pixels.set(await decode(sharp, files[i], d), i * d.size * d.size * d.channels);
      const x = toInput(tf, pixels, n, member);
      const p = runMember(tf, member.stages, x);
      const rows = await p.data();
      tf.dispose([x, p]);
      if (rows.length !== n * k) throw new Error(`member ${member.name} gives ${rows.length / n} outputs per image; labels.json has ${k} classes`);
      for (let j = 0; j < rows.length; j++) sums[start * k + j] += rows[j];
    }
  }
  // The ensemble's prediction is the mean of its members' probabilities (one member: itself).
  const probabilities = Float32Array.from(sums, (s) => s / members.length);
  const results = opts.files.map((file, i) => {
    const row = Array.from(probabilities.subarray(i * k, (i + 1) * k));
    let best = 0;
    for (let c = 1; c < k; c++) if (row[c] > row[best]) best = c;
    return { file, class: labels[best], confidence: row[best], probabilities: Object.fromEntries(labels.map((l, c) => [l, row[c]])), vector: row };
  });
  if (opts.json) {
    console.log(JSON.stringify({ backend, members: members.length, labels, images: results }));
  } else {
    for (const r of results) {
      const top = Object.entries(r.probabilities).sort((a, b) => b[1] - a[1]).map(([l, p]) => `${l} ${(p * 100).toFixed(1)}%`);
      console.log(`${r.file}: ${r.class} (${top.join(', ')})`);
    }
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
