/**
 * Planning a model's layers for the resident step (plan.ts): each layer call of the graph,
 * read by its serialized config, becomes kernel operations; what the planner does not know
 * is refused (`NotPlanned`), and the model then trains on the tfjs path.
 */
import { ActivationCode } from '@tessera/core';
import { activations } from '../activations/index.js';
import { BUILTIN_ACTIVATIONS } from '../activations/registry.js';
import type { Model } from '../engine/model.js';
import type { PlannedOp } from './plan-types.js';

/** Built-in activations by serialized name: kernel code and parameter; softmax apart. */
export const ACTIVATIONS: Record<
  string,
  { act: number; alpha: number } | 'softmax' | 'log_softmax'
> = {
  linear: { act: ActivationCode.linear, alpha: 0 },
  relu: { act: ActivationCode.relu, alpha: 0 },
  relu6: { act: ActivationCode.relu6, alpha: 0 },
  leaky_relu: { act: ActivationCode.leaky_relu, alpha: 0.2 },
  elu: { act: ActivationCode.elu, alpha: 1 },
  selu: { act: ActivationCode.selu, alpha: 0 },
  sigmoid: { act: ActivationCode.sigmoid, alpha: 0 },
  tanh: { act: ActivationCode.tanh, alpha: 0 },
  softplus: { act: ActivationCode.softplus, alpha: 0 },
  softsign: { act: ActivationCode.softsign, alpha: 0 },
  swish: { act: ActivationCode.swish, alpha: 0 },
  silu: { act: ActivationCode.swish, alpha: 0 },
  gelu: { act: ActivationCode.gelu, alpha: 0 },
  mish: { act: ActivationCode.mish, alpha: 0 },
  exponential: { act: ActivationCode.exponential, alpha: 0 },
  hard_sigmoid: { act: ActivationCode.hard_sigmoid, alpha: 0 },
  softmax: 'softmax',
  log_softmax: 'log_softmax',
};

/** Codes the GEMM applies in its epilogue; their backward needs only the output. */
const EPILOGUE = new Set<number>([
  ActivationCode.linear,
  ActivationCode.relu,
  ActivationCode.relu6,
  ActivationCode.leaky_relu,
]);

/** Thrown by `refuse`: the model trains on the tfjs path, for the reason in its message. */
export class NotPlanned extends Error {}

/** Stops planning: the model trains on the tfjs path, for `reason`. */
export function refuse(reason: string): never {
  throw new NotPlanned(reason);
}

function classOf(layer: object): string {
  return (layer.constructor as { className?: string }).className ?? layer.constructor.name;
}

/** A tensor of the graph as the plan sees it: which op makes it, its width and rank. */
interface Value {
  /** Index of the op whose output it is; -1 for the model's input. */
  source: number;
  /** Values per example. */
  width: number;
  /** Rank per example (Dense needs 1: on rank 2 it would apply to the last axis). */
  rank: number;
}

/**
 * Refuses an activation name of a layer's config that the registry no longer maps to the
 * built-in function (a user's `activations.register(name, fn, { override: true })`): the
 * plan's kernels compute the built-in one.
 */
function checkBuiltinActivation(layer: string, name: string): void {
  if (!(name in ACTIVATIONS)) return;
  const builtin = (BUILTIN_ACTIVATIONS as Record<string, unknown>)[name];
  if (builtin !== undefined && activations.deserialize(name) !== builtin) {
    refuse(`activation "${name}" of layer "${layer}" is registered over the built-in one`);
  }
}

/** Appends the ops of one activation (by serialized name) after `v`; returns the result. */
function activationOps(ops: PlannedOp[], layer: string, name: string, v: Value): Value {
  const found = ACTIVATIONS[name];
  if (found === undefined) refuse(`activation "${name}" of layer "${layer}" is not a built-in one`);
  const from = [v.source];
  if (found === 'softmax' || found === 'log_softmax') {
    // One row per example: over a reshaped row it would run over the whole row, not its last axis.
    if (v.rank !== 1) refuse(`${name} of layer "${layer}" gets a rank-${v.rank + 1} input`);
    ops.push({ kind: 'softmax', layer, log: found === 'log_softmax', width: v.width, from });
  } else if (found.act !== ActivationCode.linear) {
    ops.push({
      kind: 'activation',
      layer,
      act: found.act,
      alpha: found.alpha,
      width: v.width,
      from,
    });
  } else {
    return v;
  }
  return { ...v, source: ops.length - 1 };
}

/** Appends a Dense-like op (kernel `inputs`×`units`, linear or an epilogue activation). */
function denseOp(
  ops: PlannedOp[],
  layer: { name: string; weights: { name: string }[] },
  v: Value,
  units: number,
  act: { act: number; alpha: number },
): Value {
  if (v.rank !== 1) refuse(`layer "${layer.name}" gets a rank-${v.rank + 1} input`);
  const [kernel, bias] = layer.weights;
  if (kernel === undefined) refuse(`layer "${layer.name}" is not built`);
  ops.push({
    kind: 'dense',
    layer: layer.name,
    kernel: kernel.name,
    bias: bias?.name ?? null,
    inputs: v.width,
    units,
    act: act.act,
    alpha: act.alpha,
    from: [v.source],
  });
  return { source: ops.length - 1, width: units, rank: 1 };
}

/** The ops of one layer call, from its input values; returns its output value. */
function layerOps(ops: PlannedOp[], layer: Model['layers'][number], inputs: Value[]): Value {
  const className = classOf(layer);
  const config = layer.getConfig();
  const name = layer.name;
  for (const w of layer.weights) {
    if (!w.trainable) refuse(`layer "${name}" has frozen weights`);
    if (w.regularizer !== undefined) refuse(`layer "${name}" has a weight regularizer`);
  }
  if (config['activityRegularizer'] !== undefined && config['activityRegularizer'] !== null) {
    refuse(`layer "${name}" has an activity regularizer`);
  }
  const v = inputs[0]!;
  switch (className) {
    case 'Flatten':
      return { ...v, rank: 1 };
    case 'Reshape':
      return { ...v, rank: (config['targetShape'] as number[]).length };
    case 'Dense': {
      const units = config['units'] as number;
      const activation = config['activation'] as string;
      checkBuiltinActivation(name, activation);
      const found = ACTIVATIONS[activation];
      const fused =
        typeof found === 'object' &&
        EPILOGUE.has(found.act) &&
        !(found.act === ActivationCode.leaky_relu && found.alpha <= 0);
      const out = denseOp(
        ops,
        layer,
        v,
        units,
        fused ? found : { act: ActivationCode.linear, alpha: 0 },
      );
      return fused ? out : activationOps(ops, name, activation, out);
    }
    case 'Maxout': {
      const units = config['units'] as number;
      const pieces = config['pieces'] as number;
      const z = denseOp(ops, layer, v, units * pieces, { act: ActivationCode.linear, alpha: 0 });
      ops.push({ kind: 'maxout', layer: name, units, pieces, width: units, from: [z.source] });
      return { source: ops.length - 1, width: units, rank: 1 };
    }
    case 'Activation':
      checkBuiltinActivation(name, config['activation'] as string);
      return activationOps(ops, name, config['activation'] as string, v);
    case 'ReLU': {
      const plain =
        config['maxValue'] === null && config['negativeSlope'] === 0 && config['threshold'] === 0;
      const six =
        config['maxValue'] === 6 && config['negativeSlope'] === 0 && config['threshold'] === 0;
      if (!plain && !six) refuse(`ReLU "${name}" has a threshold, slope or cap other than 6`);
      return activationOps(ops, name, six ? 'relu6' : 'relu', v);
    }
    case 'LeakyReLU':
    case 'ELU': {
      const act = className === 'ELU' ? ActivationCode.elu : ActivationCode.leaky_relu;
      const alpha = config['alpha'] as number;
      ops.push({ kind: 'activation', layer: name, act, alpha, width: v.width, from: [v.source] });
      return { ...v, source: ops.length - 1 };
    }
    case 'Softmax': {
      const axis = config['axis'];
      if (axis !== -1 && axis !== v.rank) refuse(`Softmax "${name}" is not over the last axis`);
      if (v.rank !== 1) refuse(`Softmax "${name}" gets a rank-${v.rank + 1} input`);
      ops.push({ kind: 'softmax', layer: name, log: false, width: v.width, from: [v.source] });
      return { ...v, source: ops.length - 1 };
    }
    case 'Dropout': {
      if (config['seed'] !== undefined) refuse(`Dropout "${name}" has its own seed`);
      if (config['noiseShape'] !== undefined && config['noiseShape'] !== null)
        refuse(`Dropout "${name}" shares its mask along axes (noiseShape)`);
      const rate = config['rate'] as number;
      if (rate === 0) return v;
      ops.push({ kind: 'dropout', layer: name, rate, width: v.width, from: [v.source] });
      return { ...v, source: ops.length - 1 };
    }
    case 'Add': {
      if (inputs.some((i) => i.width !== v.width || i.rank !== 1))
        refuse(`Add "${name}" joins rows of different widths`);
      ops.push({ kind: 'add', layer: name, width: v.width, from: inputs.map((i) => i.source) });
      return { source: ops.length - 1, width: v.width, rank: 1 };
    }
    case 'Concatenate': {
      const axis = config['axis'];
      if ((axis !== -1 && axis !== 1) || inputs.some((i) => i.rank !== 1)) {
        refuse(`Concatenate "${name}" does not join rows along their last axis`);
      }
      const widths = inputs.map((i) => i.width);
      const width = widths.reduce((a, b) => a + b, 0);
      ops.push({ kind: 'concat', layer: name, widths, width, from: inputs.map((i) => i.source) });
      return { source: ops.length - 1, width, rank: 1 };
    }
    default:
      return refuse(`layer "${name}" (${className}) is not planned`);
  }
}

/** Plans every layer call of the model's graph, in run order. */
export function planLayers(model: Model, features: number): { ops: PlannedOp[]; width: number } {
  const graph = model.graph;
  if (graph === undefined) refuse('the model is not built');
  const ops: PlannedOp[] = [];
  const values = new Map<number, Value>();
  const input = graph.inputs[0]!;
  values.set(input.id, { source: -1, width: features, rank: input.shape.length - 1 });
  const seen = new Set<unknown>();
  for (const node of graph.nodes) {
    if (node.inputs.length === 0) continue; // an input layer's own node
    if (seen.has(node.layer))
      refuse(`layer "${node.layer.name}" is called more than once (shared weights)`);
    seen.add(node.layer);
    if (node.outputs.length !== 1) refuse(`layer "${node.layer.name}" has several outputs`);
    const inputs = node.inputs.map((t) => {
      const v = values.get(t.id);
      if (v === undefined)
        refuse(`layer "${node.layer.name}" reads a tensor the plan does not know`);
      return v;
    });
    // A call fixed to a mode (`apply(x, { training })`, node.training) runs in it in every
    // step, evaluation and prediction: in inference a Dropout passes its input through.
    // Dropout is the only planned layer whose output depends on the mode.
    if (node.training !== undefined && classOf(node.layer) === 'Dropout') {
      if (node.training) refuse(`Dropout "${node.layer.name}" is fixed to training mode`);
      values.set(node.outputs[0]!.id, inputs[0]!);
      continue;
    }
    values.set(node.outputs[0]!.id, layerOps(ops, node.layer, inputs));
  }
  const out = values.get(graph.outputs[0]!.id);
  if (out === undefined || out.rank !== 1) refuse('the model output is not one row per example');
  if (out.source !== ops.length - 1) refuse('the model output is not the last planned operation');
  return { ops, width: out.width };
}
