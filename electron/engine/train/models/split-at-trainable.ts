// Cuts a layers model in two where training starts: a TRUNK from the model's input up to
// one tensor, and a TOP from that tensor to the model's output. Why: under
// optimizer.minimize every op of the forward pass is recorded on the gradient tape with
// the tensors its gradient needs, whether or not a gradient will ever flow there. Fine-
// tuning the top block of a 224 px MobileNetV2 thus kept every activation of the frozen
// backbone alive (~160 MB per image): batch 16 passed wasm's 4 GB heap. Run the trunk
// outside the tape (as plain inference, which frees each activation once it is used) and
// minimise over the top alone, and only the top's activations are kept.
//
// The top is built from the model's own layer objects, applied again to a new input: it
// shares their weights, so training the top trains the model, and the model (not the
// top) is what gets saved and loaded. The trunk returned here shares its layers too;
// fold it (fold-batch-norm.ts) to get an independent, faster inference copy.
//
// Which layers belong to the top is the caller's choice (`startsTop`): every layer that
// is such a layer or reads, directly or not, the output of one. The cut is the set of
// tensors that cross from the rest (the trunk) into the top. Only a cut of exactly one
// tensor is split (MobileNet-style blocks: block_N reads block_{N-1}_add's output, also
// through the residual branch; that is still one tensor). With several tensors crossing
// (a frozen branch that joins the trained part further up, or a layer above the cut that
// also reads the raw input), the top would need several inputs and the feeder gives one:
// the caller trains the whole model instead, as before, and says so.
import * as tf from '@tensorflow/tfjs';

type GraphNode = tf.layers.Layer['inboundNodes'][number];

export interface TrunkTopSplit {
  /** The model's input → the cut tensor. Shares the model's layers: do not dispose it, fold it. */
  trunk: tf.LayersModel;
  /** The cut tensor → the model's output, on the model's own layers (shared weights). */
  top: tf.LayersModel;
  /** The layer whose output is the cut, e.g. 'block_15_add'. */
  cutLayer: string;
}

export type SplitOutcome = { split: TrunkTopSplit; reason: null } | { split: null; reason: string };

const producer = (t: tf.SymbolicTensor): GraphNode => t.sourceLayer.inboundNodes[t.nodeIndex]!;
/** An input layer's node lists its own tensor as input: it is where the walk stops. */
const isSource = (node: GraphNode): boolean => node.inboundLayers.length === 0;

/**
 * Splits `model` before the first layer for which `startsTop(layer)` holds (and all that
 * depends on it). Returns the reason instead when it cannot: the caller then trains the
 * whole model.
 */
export function splitAtTrainable(model: tf.LayersModel, startsTop: (layer: tf.layers.Layer) => boolean, topName = `${model.name}_top`): SplitOutcome {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    return { split: null, reason: `the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs (the split needs one of each)` };
  }
  const input = model.inputs[0]!;
  const output = model.outputs[0]!;

  // Post-order walk from the output: `order` is topological, `inTop` says which side.
  const inTop = new Map<number, boolean>();
  const order: GraphNode[] = [];
  const visit = (node: GraphNode): boolean => {
    const known = inTop.get(node.id);
    if (known !== undefined) return known;
    let top = !isSource(node) && startsTop(node.outboundLayer);
    if (!isSource(node)) for (const t of node.inputTensors) top = visit(producer(t)) || top;
    inTop.set(node.id, top);
    order.push(node);
    return top;
  };
  if (!visit(producer(output))) return { split: null, reason: 'no layer of the model is in the trained part' };

  const crossing = new Map<number, tf.SymbolicTensor>();
  for (const node of order) {
    if (!inTop.get(node.id) || isSource(node)) continue;
    for (const t of node.inputTensors) if (!inTop.get(producer(t).id)) crossing.set(t.id, t);
  }
  const cut = [...crossing.values()];
  if (cut.length !== 1) {
    const names = cut.map((t) => t.sourceLayer.name).join(', ');
    return { split: null, reason: `${cut.length} tensors cross from the frozen part into the trained part (outputs of ${names}); the split needs exactly one` };
  }
  const at = cut[0]!;
  if (at.id === input.id) return { split: null, reason: 'training starts at the model input: there is no frozen part to split off' };

  const trunk = tf.model({ inputs: input, outputs: at, name: `${model.name}_trunk` });
  const topInput = tf.input({ shape: at.shape.slice(1) as number[], dtype: at.dtype, name: `${topName}_input` });
  const mapped = new Map<number, tf.SymbolicTensor>([[at.id, topInput]]);
  for (const node of order) {
    if (!inTop.get(node.id) || isSource(node)) continue;
    const args = node.inputTensors.map((t) => mapped.get(t.id)!);
    const out = node.outboundLayer.apply(args.length === 1 ? args[0]! : args, node.callArgs ?? {}) as tf.SymbolicTensor | tf.SymbolicTensor[];
    const outs = Array.isArray(out) ? out : [out];
    node.outputTensors.forEach((t, i) => mapped.set(t.id, outs[i]!));
  }
  const top = tf.model({ inputs: topInput, outputs: mapped.get(output.id)!, name: topName });
  return { split: { trunk, top, cutLayer: at.sourceLayer.name }, reason: null };
}
