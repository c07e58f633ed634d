// The example/ folder of an export: the Node and browser examples from
// resources/export-example (with holdout-layers.js, the custom layers' one definition), a local copy of tf.min.js (so the page works offline), and a
// package.json pinning the exact versions the app computes with.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import { exportExampleDir } from '../train/models/vit-layers/holdout-layers.js';
import { sharpVersion } from './preprocessing-doc.js';

const require = createRequire(import.meta.url);
// holdout-layers.js goes into every export (it is small); the examples load it only when
// preprocessing.json says a member needs it (members[i].customLayers).
export const EXAMPLE_FILES = ['predict-node.mjs', 'predict-browser.js', 'index.html', 'README.md', 'holdout-layers.js'] as const;

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`)).replace('app.asar', 'app.asar.unpacked');
}

function versionOf(name: string): string {
  return (JSON.parse(fs.readFileSync(path.join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version;
}

export function writeExample(exportDir: string): void {
  const source = exportExampleDir();
  const dest = path.join(exportDir, 'example');
  fs.mkdirSync(dest, { recursive: true });
  for (const f of EXAMPLE_FILES) {
    try {
      fs.copyFileSync(path.join(source, f), path.join(dest, f));
    } catch (err) {
      throw new ApiError('internal', `the export example ${path.join(source, f)} is missing from the install: ${(err as Error).message}`);
    }
  }
  fs.copyFileSync(path.join(packageDir('@tensorflow/tfjs'), 'dist', 'tf.min.js'), path.join(dest, 'tf.min.js'));
  const pkg = {
    name: 'holdout-exported-model-example',
    private: true,
    // commonjs: holdout-layers.js is a classic script that predict-node.mjs require()s.
    type: 'commonjs',
    description: 'Runs a model exported by Holdout: npm install, then node predict-node.mjs <image>...',
    dependencies: {
      '@tensorflow/tfjs': versionOf('@tensorflow/tfjs'),
      '@tensorflow/tfjs-backend-wasm': versionOf('@tensorflow/tfjs-backend-wasm'),
      sharp: sharpVersion(),
    },
  };
  fs.writeFileSync(path.join(dest, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}
