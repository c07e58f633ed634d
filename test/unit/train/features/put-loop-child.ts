// Child process for the concurrent-put test: once told to go (a line on stdin, sent to
// every writer at once so they overlap), puts one image's features `count` times, every
// value equal to this writer's number, so a reader can tell writers (and mixes) apart.
import { FeatureCache } from '../../../../electron/engine/train/features/feature-cache.js';
import { sharedKey, sharedSha } from './shared-key.js';

const [projectDir, writer, count] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const cache = new FeatureCache(projectDir, sharedKey);
const values = new Float32Array(sharedKey.featureDim).fill(writer);
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  for (let i = 0; i < count; i++) cache.put(sharedSha, values);
  process.stdout.write('done\n');
  process.exit(0);
});
