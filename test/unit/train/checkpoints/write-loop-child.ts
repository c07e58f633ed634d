// Child process for the SIGKILL test: writes checkpoints in a loop, cycling over three
// names so that some writes replace an existing folder, and prints each one it finished.
// Every value in a checkpoint is its sequence number, so a reader can tell a mix apart.
import { writeCheckpoint } from '../../../../electron/engine/train/checkpoints/checkpoint-files.js';

const dir = process.argv[2]!;
const n = 1 << 18; // 1 MB of weights and 1 MB of optimizer slots: a write takes a while

for (let i = 1; ; i++) {
  const values = new Float32Array(n).fill(i);
  await writeCheckpoint(dir, `epoch-${i % 3}`, {
    modelArtifacts: { modelTopology: { seq: i }, weightSpecs: [{ name: 'w', shape: [n], dtype: 'float32' }], weightData: values.buffer },
    optimizer: { kind: 'Adam', config: { seq: i }, weights: [{ name: 'iter', shape: [], dtype: 'int32', data: Float32Array.of(i) }, { name: 'm', shape: [n], dtype: 'float32', data: values }] },
    state: { seq: i },
  });
  process.stdout.write(`${i}\n`);
}
