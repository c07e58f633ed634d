// Ways a TensorFlow.js model folder given as a backbone can be broken: each takes a
// good folder (model.json + shards, made by the test) and damages it in place.
import fs from 'node:fs';
import path from 'node:path';

export interface ModelFolderKind {
  kind: string;
  damage: (dir: string) => void;
  expected: RegExp;
}

function editJson(dir: string, edit: (json: { weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[]; modelTopology: unknown }) => void): void {
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

export const MODEL_FOLDER_KINDS: ModelFolderKind[] = [
  { kind: 'model: missing shard', damage: (d) => fs.rmSync(path.join(d, 'group1-shard2of2.bin')), expected: /weight file .*group1-shard2of2\.bin is missing/ },
  { kind: 'model: model.json not JSON', damage: (d) => fs.writeFileSync(path.join(d, 'model.json'), '<html>404 Not Found</html>'), expected: /model\.json is not valid JSON/ },
  { kind: 'model: model.json empty', damage: (d) => fs.writeFileSync(path.join(d, 'model.json'), ''), expected: /model\.json is not valid JSON/ },
  {
    kind: 'model: model.json is a folder',
    damage: (d) => {
      fs.rmSync(path.join(d, 'model.json'));
      fs.mkdirSync(path.join(d, 'model.json'));
    },
    expected: /model\.json .*is a folder/,
  },
  { kind: 'model: weightsManifest pointing outside (../)', damage: (d) => editJson(d, (j) => (j.weightsManifest[0]!.paths[0] = '../../secret.bin')), expected: /weight file "\.\.\/\.\.\/secret\.bin" points outside the model's folder/ },
  { kind: 'model: weightsManifest with an absolute path', damage: (d) => editJson(d, (j) => (j.weightsManifest[0]!.paths[0] = '/etc/passwd')), expected: /weight file "\/etc\/passwd" points outside the model's folder/ },
  {
    kind: 'model: shard is a link to /dev/zero (endless)',
    damage: (d) => {
      fs.rmSync(path.join(d, 'group1-shard1of2.bin'));
      fs.symlinkSync('/dev/zero', path.join(d, 'group1-shard1of2.bin'));
    },
    expected: /weight file .*group1-shard1of2\.bin is not a regular file/,
  },
  { kind: 'model: wrong shape (more bytes than the shards hold)', damage: (d) => editJson(d, (j) => (j.weightsManifest[0]!.weights[0]!.shape = [5, 5, 3, 8])), expected: /looks truncated/ },
  { kind: 'model: huge declared shape', damage: (d) => editJson(d, (j) => (j.weightsManifest[0]!.weights[0]!.shape = [1e6, 1e6, 1e6])), expected: /looks truncated/ },
  {
    kind: 'model: wrong shape, same byte count',
    damage: (d) => editJson(d, (j) => (j.weightsManifest[0]!.weights[0]!.shape = [3, 3, 8, 3])),
    expected: /model\.json could not be loaded as a layers model|shape/i,
  },
  { kind: 'model: topology of neither format', damage: (d) =>
      editJson(d, (j) => {
        j.modelTopology = { hello: 1 };
        delete (j as { format?: string }).format;
      }), expected: /is not a TensorFlow\.js layers or graph model/ },
  { kind: 'model: no model.json at all', damage: (d) => fs.rmSync(path.join(d, 'model.json')), expected: /is not a TensorFlow\.js model folder: it has no model\.json/ },
];
