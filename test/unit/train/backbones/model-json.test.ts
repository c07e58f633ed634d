// model.json checks that come before any file or tensor: each failure names the file
// and says what is wrong with it.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../electron/api/errors.js';
import { groupBytes, modelFormat, parseModelJson } from '../../../../electron/engine/train/backbones/model-json.js';
import { suggestLayer } from '../../../../electron/engine/train/backbones/inspect-model.js';
import { shardUrl } from '../../../../electron/engine/train/backbones/download-model.js';

const layersTopology = { class_name: 'Sequential', config: { layers: [] } };
const weights = [{ name: 'w', shape: [2, 3], dtype: 'float32' as const }];

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected an error');
}

describe('parseModelJson', () => {
  it('names the file when the JSON is broken or is not a TF.js model', () => {
    expect(errorOf(() => parseModelJson('{"modelTopology": ', '/m/model.json')).message).toMatch(/\/m\/model\.json is not valid JSON/);
    expect(errorOf(() => parseModelJson('[1,2]', '/m/model.json')).message).toMatch(/\/m\/model\.json is not a TensorFlow\.js model/);
    expect(errorOf(() => parseModelJson('{"weightsManifest": []}', 'a.json')).message).toMatch(/a\.json .*no "modelTopology"/);
    expect(errorOf(() => parseModelJson(JSON.stringify({ modelTopology: layersTopology }), 'a.json')).message).toMatch(/no "weightsManifest"/);
    const neither = errorOf(() => parseModelJson(JSON.stringify({ modelTopology: { foo: 1 }, weightsManifest: [] }), 'a.json'));
    expect(neither.message).toMatch(/a\.json is not a TensorFlow\.js layers or graph model/);
    expect(neither.field).toBe('folder');
  });

  it('refuses shard paths that leave the model folder', () => {
    for (const bad of ['../x.bin', '/etc/passwd', 'a/../../b.bin', 'C:\\w.bin']) {
      const json = JSON.stringify({ modelTopology: layersTopology, weightsManifest: [{ paths: [bad], weights }] });
      expect(errorOf(() => parseModelJson(json, 'model.json')).message).toMatch(/points outside the model's folder/);
    }
    const ok = JSON.stringify({ modelTopology: layersTopology, weightsManifest: [{ paths: ['sub/group1-shard1of1.bin'], weights }] });
    expect(parseModelJson(ok, 'model.json').weightsManifest[0]!.paths).toEqual(['sub/group1-shard1of1.bin']);
  });

  it('tells layers from graph models', () => {
    const layers = parseModelJson(JSON.stringify({ modelTopology: { model_config: {}, keras_version: '2' }, weightsManifest: [] }), 'm');
    expect(modelFormat(layers)).toBe('layers');
    const graph = parseModelJson(JSON.stringify({ modelTopology: { node: [], versions: {} }, weightsManifest: [] }), 'm');
    expect(modelFormat(graph)).toBe('graph');
  });
});

describe('groupBytes', () => {
  it('counts quantized weights in their stored dtype', () => {
    expect(groupBytes({ paths: [], weights })).toBe(24);
    expect(groupBytes({ paths: [], weights: [{ ...weights[0]!, quantization: { dtype: 'uint8', min: 0, scale: 1 } }] })).toBe(6);
    expect(groupBytes({ paths: [], weights: [{ ...weights[0]!, quantization: { dtype: 'float16' } }] })).toBe(12);
    expect(groupBytes({ paths: [], weights: [{ name: 's', shape: [2], dtype: 'string' }] })).toBeUndefined();
  });
});

describe('suggestLayer', () => {
  it('prefers the last pooled vector, then the last image map, over a task head', () => {
    const c = (name: string, kind: string, rank: number) => ({ name, kind, shape: new Array<number | null>(rank).fill(null) });
    expect(suggestLayer([c('conv', 'Conv2D', 4), c('flatten_1', 'Flatten', 2), c('dense_1', 'Dense', 2), c('dense_3', 'Dense', 2)])).toBe('flatten_1');
    expect(suggestLayer([c('conv', 'Conv2D', 4), c('relu', 'ReLU', 4), c('dense', 'Dense', 2)])).toBe('relu');
    expect(suggestLayer([c('d1', 'Dense', 2), c('d2', 'Dense', 2), c('out', 'Dense', 2)])).toBe('d2');
  });
});

describe('shardUrl', () => {
  it('resolves shards beside model.json and keeps its query, as TF.js does', () => {
    expect(shardUrl('https://h/a/b/model.json?tfjs-format=file', 'group1-shard1of2.bin')).toBe('https://h/a/b/group1-shard1of2.bin?tfjs-format=file');
    expect(shardUrl('http://127.0.0.1:9/m/model.json', 'w.bin')).toBe('http://127.0.0.1:9/m/w.bin');
  });
});
