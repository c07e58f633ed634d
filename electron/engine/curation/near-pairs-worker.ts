// Finds near pairs off the main thread: at large thresholds on large projects the
// search takes seconds, and the process that runs it also answers the UI.
import { parentPort, workerData } from 'node:worker_threads';
import { nearPairs } from './multi-index.js';

const { hi, lo, threshold } = workerData as { hi: Uint32Array; lo: Uint32Array; threshold: number };
const pairs = nearPairs(hi, lo, threshold);
parentPort!.postMessage(pairs, [pairs.a, pairs.b, pairs.distance, pairs.within].map((a) => a.buffer as ArrayBuffer));
