// An inference-only copy of a frozen layers backbone with every batch normalization
// folded into the convolution before it, and the ReLU after it fused into that
// convolution. Keras-style MobileNets are Conv → BatchNorm → ReLU6 chains: unfolded,
// each step is a whole pass over a large activation map; folded, it is one fused
// convolution (bias and clamp inside XNNPACK on wasm). A BN computes
//   y = (z − mean)·γ/√(var+ε) + β,   z = x∗W + b,
// so with s = γ/√(var+ε) per output channel it equals x∗(W·s) + ((b − mean)·s + β).
// Only a BN whose input is a convolution with no other consumer is folded (otherwise
// the unnormalised map is still needed), and the result never trains: its BNs are
// gone. The source model is left untouched and owns its weights; the copy owns its own.
import * as tf from '@tensorflow/tfjs';

export interface FoldReport {
  model: tf.LayersModel;
  /** BatchNormalization layers folded into a convolution. */
  foldedBatchNorms: number;
  /** Activation layers fused into a convolution. */
  fusedActivations: number;
  /** ZeroPadding2D layers turned into the next convolution's own padding. */
  foldedPaddings: number;
}

type Json = Record<string, unknown>;
/** [layer name, node index, tensor index, kwargs] as in a Keras functional config. */
type InboundRef = [string, number, number, Json?];
interface LayerJson {
  class_name: string;
  name: string;
  config: Json;
  inbound_nodes: InboundRef[][];
}
interface ModelJson {
  class_name: string;
  config: { name: string; layers: LayerJson[]; input_layers: InboundRef[]; output_layers: InboundRef[] };
}

const CONVS = new Set(['Conv2D', 'DepthwiseConv2D']);

/** Returns a new, independent model that computes what `model` computes in inference mode. */
export async function foldBatchNorm(model: tf.LayersModel): Promise<FoldReport> {
  const json = model.toJSON(null, false) as unknown as ModelJson;
  if (json.class_name !== 'Model' && json.class_name !== 'Functional') {
    throw new Error(`foldBatchNorm: expected a functional model, got a ${json.class_name}`);
  }
  const layers = json.config.layers;
  const byName = new Map(layers.map((l) => [l.name, l]));
  const outputs = new Set(json.config.output_layers.map((r) => r[0]));
  /** Names of layers reading each layer's output; a layer called more than once is never touched. */
  const consumers = new Map<string, string[]>();
  for (const l of layers) {
    for (const node of l.inbound_nodes) for (const ref of node) consumers.set(ref[0], [...(consumers.get(ref[0]) ?? []), l.name]);
  }
  const soleInput = (l: LayerJson): string | null => (l.inbound_nodes.length === 1 && l.inbound_nodes[0]!.length === 1 ? l.inbound_nodes[0]![0]![0] : null);
  const soleConsumer = (name: string): LayerJson | null => {
    const c = consumers.get(name) ?? [];
    return c.length === 1 && !outputs.has(name) ? (byName.get(c[0]!) ?? null) : null;
  };

  /** A removed layer → the output that replaces it. */
  const replaced = new Map<string, InboundRef>();
  const plans = new Map<string, { bn: LayerJson | null; activation: FusedActivation; pad: [[number, number], [number, number]] | null }>();
  for (const conv of layers) {
    if (!CONVS.has(conv.class_name) || conv.inbound_nodes.length !== 1 || !plainConv(conv.config)) continue;
    const plan = { bn: null as LayerJson | null, activation: 'linear' as FusedActivation, pad: null as [[number, number], [number, number]] | null };
    let tail = conv.name;
    const next = soleConsumer(tail);
    if (next && next.class_name === 'BatchNormalization' && soleInput(next) === conv.name && channelsLastBn(next.config)) {
      plan.bn = next;
      tail = next.name;
    }
    const act = soleConsumer(tail);
    const fused = act && soleInput(act) === tail ? activationOf(act) : null;
    if (fused && conv.config['activation'] === 'linear') {
      plan.activation = fused;
      replaced.set(act!.name, [conv.name, 0, 0]);
    }
    if (plan.bn) replaced.set(plan.bn.name, [conv.name, 0, 0]);
    // A ZeroPadding2D read only by this convolution becomes its explicit padding.
    const source = byName.get(soleInput(conv) ?? '');
    if (source && source.class_name === 'ZeroPadding2D' && soleConsumer(source.name) === conv && conv.config['padding'] === 'valid') {
      plan.pad = paddingOf(source.config);
      if (plan.pad) replaced.set(source.name, source.inbound_nodes[0]![0]!);
    }
    plans.set(conv.name, plan);
  }
  const resolve = (ref: InboundRef): InboundRef => {
    let r = ref;
    while (replaced.has(r[0])) r = replaced.get(r[0])!;
    return [r[0], r[1], r[2], ref[3] ?? {}];
  };

  const kept = layers.filter((l) => !replaced.has(l.name));
  const rewired: LayerJson[] = kept.map((l) => {
    const inbound = l.inbound_nodes.map((node) => node.map(resolve));
    const plan = plans.get(l.name);
    if (!plan) return { ...l, inbound_nodes: inbound };
    return {
      class_name: FUSED_CONV_CLASS,
      name: l.name,
      config: fusedConvConfig(l.class_name === 'DepthwiseConv2D' ? 'depthwise' : 'conv', l.config, plan.activation, plan.pad),
      inbound_nodes: inbound,
    };
  });
  const topology: ModelJson = {
    ...json,
    config: {
      ...json.config,
      layers: rewired,
      output_layers: json.config.output_layers.map((r) => resolve(r).slice(0, 3) as InboundRef),
    },
  };
  const folded = await tf.models.modelFromJSON({ modelTopology: topology as unknown as Parameters<typeof tf.models.modelFromJSON>[0] } as Parameters<typeof tf.models.modelFromJSON>[0]);
  try {
    for (const l of kept) {
      const source = model.getLayer(l.name);
      const target = folded.getLayer(l.name);
      const plan = plans.get(l.name);
      if (!plan) {
        // Setting copies nothing: the new variables share the source's data by reference count.
        target.setWeights(source.getWeights());
        continue;
      }
      const weights = tf.tidy(() => foldedWeights(source, plan.bn ? model.getLayer(plan.bn.name) : null, plan.bn?.config ?? null, l.class_name === 'DepthwiseConv2D'));
      target.setWeights(weights);
      tf.dispose(weights);
    }
  } catch (err) {
    folded.dispose();
    throw err;
  }
  let foldedBatchNorms = 0;
  let fusedActivations = 0;
  for (const p of plans.values()) {
    if (p.bn) foldedBatchNorms++;
    if (p.activation !== 'linear') fusedActivations++;
  }
  return { model: folded, foldedBatchNorms, fusedActivations, foldedPaddings: [...plans.values()].filter((p) => p.pad).length };
}

/** A 2-D convolution we can rewrite: channels-last, no constraints that training would need anyway. */
function plainConv(c: Json): boolean {
  return (c['data_format'] ?? 'channels_last') === 'channels_last' && (c['padding'] === 'same' || c['padding'] === 'valid');
}

function channelsLastBn(c: Json): boolean {
  const axis = c['axis'];
  return axis === -1 || axis === 3 || (Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === 3));
}

/** relu or relu6, whether written as a ReLU layer (Keras' MobileNets) or an Activation layer. */
function activationOf(l: LayerJson): FusedActivation | null {
  const c = l.config;
  if (l.class_name === 'ReLU') {
    const slope = (c['negative_slope'] as number | undefined) ?? 0;
    const threshold = (c['threshold'] as number | undefined) ?? 0;
    const max = c['max_value'] as number | null | undefined;
    if (slope !== 0 || threshold !== 0) return null;
    if (max == null) return 'relu';
    return max === 6 ? 'relu6' : null;
  }
  if (l.class_name === 'Activation') {
    const a = c['activation'];
    return a === 'relu' || a === 'relu6' ? a : null;
  }
  return null;
}

function paddingOf(c: Json): [[number, number], [number, number]] | null {
  if ((c['data_format'] ?? 'channels_last') !== 'channels_last') return null;
  const p = c['padding'];
  if (typeof p === 'number') return [[p, p], [p, p]];
  if (Array.isArray(p) && p.length === 2) {
    const [h, w] = p as unknown[];
    const pair = (v: unknown): [number, number] | null =>
      typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number') ? [v[0] as number, v[1] as number] : null;
    const ph = pair(h);
    const pw = pair(w);
    return ph && pw ? [ph, pw] : null;
  }
  return null;
}

/** [kernel, bias] of the folded convolution. */
function foldedWeights(conv: tf.layers.Layer, bn: tf.layers.Layer | null, bnConfig: Json | null, depthwise: boolean): tf.Tensor[] {
  const [kernel, bias] = conv.getWeights() as [tf.Tensor4D, tf.Tensor1D | undefined];
  const outChannels = depthwise ? kernel.shape[2] * kernel.shape[3] : kernel.shape[3];
  const b = bias ?? tf.zeros([outChannels]);
  if (!bn || !bnConfig) return [kernel.clone(), b.clone()];
  // BN's weights in tfjs-layers' order: gamma if scale, beta if center, then the moving mean and variance.
  const w = bn.getWeights();
  let i = 0;
  const gamma = bnConfig['scale'] !== false ? w[i++]! : tf.onesLike(w[w.length - 1]!);
  const beta = bnConfig['center'] !== false ? w[i++]! : tf.zerosLike(w[w.length - 1]!);
  const mean = w[i++]!;
  const variance = w[i++]!;
  const epsilon = (bnConfig['epsilon'] as number | undefined) ?? 1e-3;
  const s = tf.div(gamma, tf.sqrt(tf.add(variance, epsilon)));
  // Depthwise output channel c·multiplier + m comes from input channel c: scale the [c, m] axes.
  const scaled = depthwise ? tf.mul(kernel, tf.reshape(s, [1, 1, kernel.shape[2], kernel.shape[3]])) : tf.mul(kernel, s);
  return [scaled, tf.add(tf.mul(tf.sub(b, mean), s), beta)];
}

// ——— The folded convolution as a layer ———
// tfjs-layers 4.22 accepts activation 'relu6' on Conv2D but fuses only relu, linear and
// elu into its kernel (generic_utils.mapActivationToFusedKernel), and DepthwiseConv2D
// never fuses: bias and activation would stay separate passes. This layer calls
// tf.fused.conv2d / tf.fused.depthwiseConv2d, which the wasm backend runs as one
// XNNPACK operator with bias, clamp and (explicit, asymmetric) padding inside.

export type FusedActivation = 'linear' | 'relu' | 'relu6';
type ExplicitPad = [[number, number], [number, number]];

export const FUSED_CONV_CLASS = 'HoldoutFusedConv2D';

interface FusedConvArgs {
  name: string;
  kind: 'conv' | 'depthwise';
  kernelSize: [number, number];
  /** Output channels (conv) or channels per input channel (depthwise). */
  units: number;
  strides: [number, number];
  dilationRate: [number, number];
  padding: 'same' | 'valid' | ExplicitPad;
  activation: FusedActivation;
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)]);

/** The python-style config of the layer that replaces a Keras Conv2D / DepthwiseConv2D config. */
function fusedConvConfig(kind: 'conv' | 'depthwise', c: Json, activation: FusedActivation, pad: ExplicitPad | null): Json {
  return {
    name: c['name'],
    trainable: false,
    kind,
    kernel_size: pair(c['kernel_size']),
    units: kind === 'conv' ? c['filters'] : (c['depth_multiplier'] ?? 1),
    strides: pair(c['strides'] ?? 1),
    dilation_rate: pair(c['dilation_rate'] ?? 1),
    padding: pad ?? c['padding'],
    activation,
  };
}

class FusedConv2D extends tf.layers.Layer {
  static className = FUSED_CONV_CLASS;
  private readonly args: FusedConvArgs;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: FusedConvArgs) {
    super({ name: args.name, trainable: false });
    this.args = { ...args, kernelSize: pair(args.kernelSize), strides: pair(args.strides), dilationRate: pair(args.dilationRate) };
  }

  private kernelShape(inChannels: number): [number, number, number, number] {
    const [kh, kw] = this.args.kernelSize;
    return [kh, kw, inChannels, this.args.units];
  }

  private pad(): 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]] {
    const p = this.args.padding;
    return typeof p === 'string' ? p : [[0, 0], p[0], p[1], [0, 0]];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[3];
    if (typeof channels !== 'number') throw new Error(`${this.name}: the input's channel count must be known`);
    const outChannels = this.args.kind === 'conv' ? this.args.units : channels * this.args.units;
    this.kernel = this.addWeight('kernel', this.kernelShape(channels), 'float32', tf.initializers.zeros(), undefined, false);
    this.bias = this.addWeight('bias', [outChannels], 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [, h, w, c] = shape as [number | null, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(
      [1, h, w, c],
      this.kernelShape(c),
      this.args.strides,
      this.args.dilationRate,
      this.pad() as 'same',
      undefined,
      this.args.kind === 'depthwise',
    );
    return [shape[0] ?? null, info.outHeight, info.outWidth, info.outChannels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const common = {
        x,
        strides: this.args.strides,
        dilations: this.args.dilationRate,
        bias: this.bias!.read(),
        activation: this.args.activation,
      };
      if (this.args.kind === 'conv') {
        return tf.fused.conv2d({ ...common, filter: this.kernel!.read() as tf.Tensor4D, pad: this.pad() });
      }
      // tfjs-core types depthwise padding without the explicit form, but its shape
      // code (computeConv2DInfo) and the wasm kernel take it as conv2d does.
      return tf.fused.depthwiseConv2d({ ...common, filter: this.kernel!.read() as tf.Tensor4D, pad: this.pad() as 'same' });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { name: _name, ...rest } = this.args;
    return { ...super.getConfig(), ...(rest as unknown as tf.serialization.ConfigDict) };
  }
}
tf.serialization.registerClass(FusedConv2D);
