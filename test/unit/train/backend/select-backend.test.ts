// Backend selection: the native packages cannot be installed on these machines, so the
// real ones are absent and must fall through to WebAssembly with the reason recorded.
// A package that is present but fails to load (a broken libtensorflow, say) is made
// here as a real package folder whose entry point throws, resolved through Node's own
// module resolution from that folder.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { backendLabel, featuresThenTrainingLabel, selectBackend, withThreads } from '../../../../electron/engine/train/backend/select-backend.js';
import { repoRoot } from '../../../helpers/run-cli.js';
import { tempDirFactory } from '../../../helpers/temp-dir.js';

const tempDir = tempDirFactory('holdout-backend-');

function folderWithBrokenNativePackage(): string {
  const root = tempDir();
  for (const name of ['tfjs-node-gpu', 'tfjs-node']) {
    const dir = path.join(root, 'node_modules', '@tensorflow', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `@tensorflow/${name}`, version: '4.22.0', main: 'index.js' }));
    fs.writeFileSync(path.join(dir, 'index.js'), `throw new Error('libtensorflow.so.2: cannot open shared object file (${name})');\n`);
  }
  return root;
}

describe('selectBackend', () => {
  it('falls through missing native packages to WebAssembly, recording why each was skipped', async () => {
    const choice = await selectBackend('auto');
    expect(choice.id).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.label).toBe('CPU (WebAssembly, 1 thread)');
    expect(choice.skipped.map((s) => s.id)).toEqual(['tensorflow-gpu', 'tensorflow']);
    // `npm ci` drops an optional package whose install script fails ("not installed");
    // an install without scripts leaves it present but without its native addon.
    for (const [i, pkg] of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].entries()) {
      const present = fs.existsSync(path.join(repoRoot, 'node_modules', pkg, 'package.json'));
      expect(choice.skipped[i]!.reason).toMatch(present ? /tfjs_binding\.node|libtensorflow/ : /^not installed$/);
    }
  });

  it('falls through a native package that is installed but fails to load, with its error as the reason', async () => {
    const require = createRequire(path.join(folderWithBrokenNativePackage(), 'index.js'));
    const choice = await selectBackend('auto', async (name) => require(name) as unknown);
    expect(choice.id).toBe('wasm');
    expect(choice.skipped.map((s) => s.id)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(choice.skipped[0]!.reason).toMatch(/libtensorflow\.so\.2: cannot open shared object file \(tfjs-node-gpu\)/);
    expect(choice.skipped[1]!.reason).toMatch(/\(tfjs-node\)/);
  });

  it('honours an explicit choice and says the better ones were passed over by request', async () => {
    const choice = await selectBackend('cpu');
    expect(choice.id).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.label).toMatch(/plain JavaScript/);
    expect(choice.skipped.map((s) => s.id)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm']);
    expect(choice.skipped[2]!.reason).toMatch(/'cpu' was requested/);
    await selectBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('labels every backend in words a user understands', () => {
    expect(backendLabel('tensorflow-gpu')).toBe('GPU (TensorFlow CUDA)');
    expect(backendLabel('tensorflow')).toMatch(/^CPU \(TensorFlow native, \d+ threads\)$/);
    expect(backendLabel('wasm', 2)).toBe('CPU (WebAssembly, 2 threads)');
  });

  it('counts the wasm instances a run adds, and only for WebAssembly', () => {
    const wasm = { id: 'wasm' as const, label: backendLabel('wasm', 1), skipped: [], threads: 1 };
    expect(withThreads(wasm, 3)).toEqual({ ...wasm, threads: 3, label: 'CPU (WebAssembly, 3 threads)' });
    expect(withThreads(wasm, 1).label).toBe('CPU (WebAssembly, 1 thread)');
    const cpu = { id: 'cpu' as const, label: backendLabel('cpu'), skipped: [], threads: 1 };
    expect(withThreads(cpu, 4)).toBe(cpu);
    expect(() => withThreads(wasm, 0)).toThrow(/threads must be a whole number/);
  });

  it('names each phase\'s own count when features and training use different numbers of instances', () => {
    const wasm = { id: 'wasm' as const, label: backendLabel('wasm', 1), skipped: [], threads: 1 };
    expect(featuresThenTrainingLabel(wasm, 2, 1)).toBe('CPU (WebAssembly, 2 threads extracting features, 1 thread training)');
    expect(featuresThenTrainingLabel(wasm, 1, 1)).toBe('CPU (WebAssembly, 1 thread)');
    const cpu = { id: 'cpu' as const, label: backendLabel('cpu'), skipped: [], threads: 1 };
    expect(featuresThenTrainingLabel(cpu, 4, 1)).toBe('CPU (plain JavaScript, slow)');
  });
});
