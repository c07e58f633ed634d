// Where the WebAssembly backend's .wasm files are. In Node they are read from the
// installed package; in a packaged app the same folder is unpacked from the asar
// archive (electron-builder's asarUnpack lists it), so the path is computed, never fixed.
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function wasmDistDir(): string {
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  // entry is …/tfjs-backend-wasm/dist/<bundle>.js (or …/dist/index.js)
  const dist = path.dirname(entry);
  return (dist.endsWith('dist') ? dist : path.join(dist, '..', 'dist')).replace('app.asar', 'app.asar.unpacked') + path.sep;
}
