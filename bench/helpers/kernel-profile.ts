// Where the time of a piece of TensorFlow.js work goes, kernel by kernel: tf.profile
// times each kernel call (on wasm a kernel runs synchronously, so its time is wall
// time), grouped here by kernel name, heaviest first. The rest of the wall time is
// JavaScript around the kernels (layers, the gradient tape, the optimizer's bookkeeping).
import * as tf from '@tensorflow/tfjs';

export interface KernelShare {
  name: string;
  ms: number;
  calls: number;
  /** Share of the wall time of the profiled work, 0…1. */
  share: number;
  /** Input shapes of this kernel's slowest single call. */
  slowestCallInputs: (number[] | null)[];
}

export interface KernelProfile {
  wallMs: number;
  kernelMs: number;
  /** Wall time not spent inside any kernel. */
  outsideKernelsMs: number;
  top: KernelShare[];
}

const OP_WRAPPER_SUFFIX = '__op';

interface Group {
  ms: number;
  calls: number;
  slowest: number;
  inputs: (number[] | null)[];
}

/** Profiles `work` (awaited) and returns its `n` heaviest kernels. */
export async function profileKernels(work: () => Promise<unknown>, n = 8): Promise<KernelProfile> {
  // Profiling otherwise reads every output back to check for NaN: extra work we do not want timed.
  const check = tf.env().getBool('CHECK_COMPUTATION_FOR_ERRORS');
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  let wallMs = 0;
  let info: Awaited<ReturnType<typeof tf.profile>>;
  try {
    info = await tf.profile(async () => {
      const t0 = performance.now();
      await work();
      wallMs = performance.now() - t0;
      return [] as tf.Tensor[];
    });
  } finally {
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', check);
  }
  const groups = new Map<string, Group>();
  let kernelMs = 0;
  for (const k of info.kernels) {
    // An op with a custom gradient (fusedConv2d__op, …) is recorded as a kernel of its own
    // around the real kernels it runs: counting it too would count their time twice.
    if (k.name.endsWith(OP_WRAPPER_SUFFIX)) continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    kernelMs += ms;
    const g = groups.get(k.name) ?? { ms: 0, calls: 0, slowest: -1, inputs: [] };
    g.ms += ms;
    g.calls += 1;
    if (ms > g.slowest) {
      g.slowest = ms;
      g.inputs = k.inputShapes;
    }
    groups.set(k.name, g);
  }
  const top = [...groups]
    .sort((x, y) => y[1].ms - x[1].ms)
    .slice(0, n)
    .map(([name, g]) => ({ name, ms: round1(g.ms), calls: g.calls, share: Math.round((g.ms / wallMs) * 1000) / 1000, slowestCallInputs: g.inputs }));
  return { wallMs: round1(wallMs), kernelMs: round1(kernelMs), outsideKernelsMs: round1(wallMs - kernelMs), top };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** A few lines for stderr: one per kernel. */
export function formatProfile(title: string, p: KernelProfile): string {
  const lines = p.top.map(
    (k) => `  ${k.name.padEnd(38)} ${k.ms.toFixed(1).padStart(9)} ms ${String(k.calls).padStart(5)} calls ${(k.share * 100).toFixed(1).padStart(5)}%  slowest: ${JSON.stringify(k.slowestCallInputs)}`,
  );
  return `${title}: wall ${p.wallMs} ms, in kernels ${p.kernelMs} ms, outside kernels ${p.outsideKernelsMs} ms\n${lines.join('\n')}`;
}
