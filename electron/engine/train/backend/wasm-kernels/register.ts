// Registers the training kernels the WebAssembly backend of TensorFlow.js 4.22
// lacks or gets wrong (see PERFORMANCE.md). Call once at startup, before training
// on 'wasm'; calling it again does nothing.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm'; // registers the stock wasm kernels we build on
import { captureStockKernel } from './kernel-scope.js';
import { conv2DBackpropFilterKernel } from './conv2d-backprop-filter.js';
import { makeConv2DBackpropInputKernel } from './conv2d-backprop-input.js';
import { depthwiseBackpropInputKernel } from './depthwise-backprop-input.js';
import { depthwiseBackpropFilterKernel } from './depthwise-backprop-filter.js';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum.js';
import { maxPoolGradKernel } from './max-pool-grad.js';
import { makeBatchMatMulKernel } from './batch-mat-mul.js';

const BACKEND = 'wasm';

// Stock kernels the composed ones call; captured before any replacement so that a
// replaced kernel can still reach the original.
const BUILDING_BLOCKS = [
  'Conv2D', 'DepthwiseConv2dNative', 'Transpose', 'Reshape', 'PadV2', 'Slice', 'Sum', 'Reverse',
  'ArgMax', 'OneHot', 'Multiply', 'ScatterNd', 'Cast', 'GreaterEqual', 'Less', 'LogicalAnd',
  'Conv2DBackpropInput', 'MaxPoolGrad', 'BatchMatMul', 'Sub', 'Step', 'Relu', 'MaxPool',
];

const installed = new Map<string, tf.KernelFunc>();

/** The kernel names this module installs for 'wasm' (for reports and tests). */
export const WASM_TRAINING_KERNEL_NAMES = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'UnsortedSegmentSum',
  'MaxPoolGrad',
  'BatchMatMul',
] as const;

export function registerWasmTrainingKernels(): void {
  if (installed.size > 0 && [...installed].every(([name, func]) => tf.getKernel(name, BACKEND)?.kernelFunc === func)) {
    return;
  }
  for (const name of BUILDING_BLOCKS) {
    if (!captureStockKernel(name)) throw new Error(`The wasm backend lacks its '${name}' kernel; is @tensorflow/tfjs-backend-wasm 4.22 installed?`);
  }
  const stockConvInput = captureStockKernel('Conv2DBackpropInput')!;
  const stockMatMul = captureStockKernel('BatchMatMul')!;

  install({ kernelName: 'Conv2DBackpropFilter', backendName: BACKEND, kernelFunc: conv2DBackpropFilterKernel });
  install({
    kernelName: 'Conv2DBackpropInput',
    backendName: BACKEND,
    kernelFunc: makeConv2DBackpropInputKernel(stockConvInput.kernelFunc),
    // The stock kernel stays the fallback for odd geometries, so its wasm binding
    // must still be set up when the backend initialises.
    ...(stockConvInput.setupFunc ? { setupFunc: stockConvInput.setupFunc } : {}),
  });
  install({ kernelName: 'DepthwiseConv2dNativeBackpropInput', backendName: BACKEND, kernelFunc: depthwiseBackpropInputKernel });
  install({ kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName: BACKEND, kernelFunc: depthwiseBackpropFilterKernel });
  install({ kernelName: 'UnsortedSegmentSum', backendName: BACKEND, kernelFunc: unsortedSegmentSumKernel });
  install({ kernelName: 'MaxPoolGrad', backendName: BACKEND, kernelFunc: maxPoolGradKernel });
  install({
    kernelName: 'BatchMatMul',
    backendName: BACKEND,
    kernelFunc: makeBatchMatMulKernel(stockMatMul.kernelFunc),
    ...(stockMatMul.setupFunc ? { setupFunc: stockMatMul.setupFunc } : {}),
  });
}

/** Registers `config`, first removing whatever (stock or stale) kernel holds its name. */
function install(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, BACKEND)) tf.unregisterKernel(config.kernelName, BACKEND);
  tf.registerKernel(config);
  installed.set(config.kernelName, config.kernelFunc);
}
