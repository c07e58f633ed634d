// Runs the WebAssembly backend's own kernels (most of them XNNPACK) from inside a
// kernel of ours, and frees every intermediate when the composed kernel is done.
// The stock kernel functions are looked up once, before we replace any of them,
// so a replacement can still fall back to (or build on) the original.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type TensorInfo = tf.TensorInfo;
export type Attrs = Record<string, unknown>;

const stockKernels = new Map<string, tf.KernelConfig>();

/** Remembers the wasm backend's own config of `kernelName` (if it has one) before we touch it. */
export function captureStockKernel(kernelName: string): tf.KernelConfig | undefined {
  const known = stockKernels.get(kernelName);
  if (known) return known;
  const config = tf.getKernel(kernelName, 'wasm');
  if (config) stockKernels.set(kernelName, config);
  return config;
}

function stockKernelFunc(kernelName: string): tf.KernelFunc {
  const config = captureStockKernel(kernelName);
  if (!config) throw new Error(`The wasm backend has no '${kernelName}' kernel to build on`);
  return config.kernelFunc;
}

/**
 * One composed kernel call: every tensor made through `run` is freed by `dispose`,
 * except the ones handed out with `keep` (the result).
 */
export class KernelScope {
  private readonly owned = new Set<TensorInfo>();

  constructor(readonly backend: BackendWasm) {}

  /** Runs a stock wasm kernel; its output belongs to this scope. */
  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs: Attrs = {}): TensorInfo {
    const out = stockKernelFunc(kernelName)({
      inputs: inputs as tf.NamedTensorInfoMap,
      backend: this.backend,
      attrs: attrs as tf.NamedAttrMap,
    });
    if (Array.isArray(out)) throw new Error(`'${kernelName}' returned several tensors; expected one`);
    this.owned.add(out);
    return out;
  }

  /** A view of `x` with another shape; shares the buffer (the wasm Reshape kernel counts the reference). */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    if (sameShape(x.shape, shape)) return x;
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** A small constant (shapes, scalars) written straight into the wasm heap. */
  constant(values: Float32Array | Int32Array, shape: number[]): TensorInfo {
    const dtype = values instanceof Int32Array ? 'int32' : 'float32';
    const out = this.backend.makeOutput(shape, dtype, undefined, values);
    this.owned.add(out);
    return out;
  }

  owns(x: TensorInfo): boolean {
    return this.owned.has(x);
  }

  /** Takes `x` out of the scope so `dispose` leaves it alive; returns it. */
  keep(x: TensorInfo): TensorInfo {
    this.owned.delete(x);
    return x;
  }

  dispose(): void {
    for (const t of this.owned) this.backend.disposeData(t.dataId);
    this.owned.clear();
  }
}

/** Runs `body` in a fresh scope, keeps what it returns and frees the rest, also on error. */
export function withScope(backend: unknown, body: (scope: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend as BackendWasm);
  try {
    const result = body(scope);
    // A result that is one of the kernel's inputs (a no-op) gets its own reference,
    // as the stock Reshape does, so the engine can free input and output separately.
    if (!scope.owns(result)) scope.backend.incRef(result.dataId);
    return scope.keep(result);
  } finally {
    scope.dispose();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
