// Predicts the class of an image with a model exported by Holdout, in a web page.
// tf.js comes from tf.min.js beside this file (a copy made at export time), so the page
// works offline. Pages cannot read files next to them from file://: serve the export
// folder over http, e.g. `npx http-server <export folder>` and open /example/index.html.
//
// The models, labels and preprocessing are those of ../preprocessing.json, as in
// predict-node.mjs. One difference: the browser cannot run sharp, so the image is resized
// by the browser's canvas (not libvips' lanczos3). An image that is already size×size
// pixels (see preprocessing.json) is not resized at all, and then the page reproduces the
// app's probabilities; for others expect small differences, and use predict-node.mjs
// where results must be exactly the app's.
//
// A small Vision Transformer needs Holdout's custom layers: when preprocessing.json gives a
// member customLayers, that file (holdout-layers.js) is added as a script and its classes
// registered before any model loads. Other models never load it.
/* global tf */
(function () {
  'use strict';
  const base = new URL('../', document.baseURI);
  let loaded = null;

  async function getJson(rel) {
    const res = await fetch(new URL(rel, base));
    if (!res.ok) throw new Error(`cannot load ${rel}: HTTP ${res.status}`);
    return res.json();
  }

  /** Adds each custom layers file members need as a <script>, then registers its classes. */
  async function registerCustomLayers(members) {
    const files = [...new Set(members.filter((m) => m.customLayers).map((m) => m.customLayers.file))];
    for (const rel of files) {
      await new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = new URL(rel, base).href;
        script.onload = resolve;
        script.onerror = () => reject(new Error(`cannot load the custom layers file ${rel}`));
        document.head.appendChild(script);
      });
      if (typeof window.defineHoldoutLayers !== 'function') throw new Error(`the custom layers file ${rel} is damaged: it does not define defineHoldoutLayers(tf)`);
      window.defineHoldoutLayers(tf);
    }
  }

  async function load() {
    if (loaded) return loaded;
    // The CPU backend: exact float32 arithmetic everywhere (WebGL may compute in 16-bit floats).
    const backend = new URLSearchParams(location.search).get('backend') || 'cpu';
    await tf.setBackend(backend);
    await tf.ready();
    const pre = await getJson('preprocessing.json');
    const labels = await getJson('labels.json');
    await registerCustomLayers(pre.members);
    const members = [];
    for (const member of pre.members) {
      const stages = [];
      for (const stage of member.stages) {
        const url = new URL(stage.path, base).href;
        const model = stage.type === 'graph' ? await tf.loadGraphModel(url) : await tf.loadLayersModel(url);
        stages.push({ ...stage, model });
      }
      members.push({ ...member, stages });
    }
    loaded = { pre, labels, members, backend };
    return loaded;
  }

  /** An image (URL or Blob) → size×size×channels uint8, white under transparent areas. */
  async function decode(source, d) {
    const blob = typeof source === 'string' ? await (await fetch(source)).blob() : source;
    // 'from-image' applies the EXIF orientation, as sharp's rotate() does in the app.
    const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
    const canvas = document.createElement('canvas');
    canvas.width = d.size;
    canvas.height = d.size;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.fillStyle = d.background;
    ctx.fillRect(0, 0, d.size, d.size);
    ctx.imageSmoothingQuality = 'high';
    let sx = 0, sy = 0, sw = bitmap.width, sh = bitmap.height;
    if (d.fit === 'cover') {
      // The centred square, as sharp's fit 'cover' keeps.
      const side = Math.min(sw, sh);
      sx = Math.floor((sw - side) / 2);
      sy = Math.floor((sh - side) / 2);
      sw = sh = side;
    }
    ctx.drawImage(bitmap, sx, sy, sw, sh, 0, 0, d.size, d.size);
    const rgba = ctx.getImageData(0, 0, d.size, d.size).data;
    const out = new Uint8Array(d.size * d.size * d.channels);
    for (let p = 0; p < d.size * d.size; p++) {
      if (d.channels === 3) {
        out[p * 3] = rgba[p * 4];
        out[p * 3 + 1] = rgba[p * 4 + 1];
        out[p * 3 + 2] = rgba[p * 4 + 2];
      } else {
        // Rec. 709 luma: close to, not identical with, libvips' b-w conversion.
        out[p] = Math.round(0.2126 * rgba[p * 4] + 0.7152 * rgba[p * 4 + 1] + 0.0722 * rgba[p * 4 + 2]);
      }
    }
    return out;
  }

  function runMember(member, pixels, n) {
    const { size, channels } = member.input;
    return tf.tidy(() => {
      let t = tf.div(tf.tensor4d(pixels, [n, size, size, channels], 'int32').toFloat(), 255);
      if (member.normalise) t = tf.add(tf.mul(t, member.normalise.multiply), member.normalise.add);
      for (const stage of member.stages) {
        if (stage.type === 'graph') {
          const out = stage.model.execute(t, stage.outputNode);
          t = out.rank === 4 ? tf.mean(out, [1, 2]) : out.rank > 2 ? tf.reshape(out, [out.shape[0], -1]) : out;
        } else {
          t = stage.model.predict(t, { batchSize: n });
        }
      }
      return t;
    });
  }

  /** Images (URLs or Blobs) → [{ class, confidence, probabilities: number[] }] in labels.json order. */
  async function predict(sources) {
    const { pre, labels, members } = await load();
    const k = labels.length;
    const sums = new Float64Array(sources.length * k);
    for (const member of members) {
      const d = { ...pre.decode, ...member.input };
      const px = d.size * d.size * d.channels;
      const pixels = new Uint8Array(sources.length * px);
      for (let i = 0; i < sources.length; i++) pixels.set(await decode(sources[i], d), i * px);
      const p = runMember(member, pixels, sources.length);
      const rows = await p.data();
      p.dispose();
      for (let j = 0; j < rows.length; j++) sums[j] += rows[j];
    }
    const mean = Float32Array.from(sums, (s) => s / members.length);
    return sources.map((_, i) => {
      const row = Array.from(mean.subarray(i * k, (i + 1) * k));
      let best = 0;
      for (let c = 1; c < k; c++) if (row[c] > row[best]) best = c;
      return { class: labels[best], confidence: row[best], probabilities: row };
    });
  }

  window.holdoutPredict = predict;

  function show(result, labels) {
    const list = document.getElementById('result');
    list.textContent = '';
    const order = result.probabilities.map((p, c) => [labels[c], p]).sort((a, b) => b[1] - a[1]);
    for (const [label, p] of order) {
      const li = document.createElement('li');
      li.textContent = `${label}: ${(p * 100).toFixed(1)}%`;
      list.appendChild(li);
    }
    document.getElementById('verdict').textContent = `This looks like: ${result.class}`;
  }

  document.addEventListener('DOMContentLoaded', () => {
    const input = document.getElementById('file');
    const status = document.getElementById('status');
    load()
      .then((m) => (status.textContent = `Model ready (${m.members.length} model${m.members.length === 1 ? '' : 's'}, ${m.labels.length} classes, backend ${m.backend}).`))
      .catch((err) => (status.textContent = `Could not load the model: ${err.message}`));
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      if (!file) return;
      document.getElementById('preview').src = URL.createObjectURL(file);
      try {
        const [result] = await predict([file]);
        show(result, loaded.labels);
      } catch (err) {
        status.textContent = `Could not predict: ${err.message}`;
      }
    });
  });
})();
