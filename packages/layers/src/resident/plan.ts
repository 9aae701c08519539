/**
 * Planning a resident training step: reads a model's layers, loss and metrics by their
 * serialized configs (what they declare, never their classes' internals) and either
 * returns the list of kernel operations that compute the step over memory that stays in
 * place (see resident-step.ts), or the reason the model must train on the tfjs autodiff
 * path. A layer, activation, loss or metric this planner does not know — a Lambda, a
 * user's activation or layer, a regularizer — always means the tfjs path, never an
 * approximation. The living description is docs/resident-step.md.
 */
import { ActivationCode } from '@tessera/core';
import { activations } from '../activations/index.js';
import { BUILTIN_ACTIVATIONS } from '../activations/registry.js';
import type { Model } from '../engine/model.js';
import type { Loss } from '../losses/index.js';
import type { Metric } from '../metrics/index.js';

/** How the trainer encodes targets (one-hot rows, class ids, 0/1, or values). */
export type TargetKind = 'one-hot' | 'sparse' | 'binary' | 'regression';

/** One planned operation over [rows, width] activations; `from` lists its inputs (ops; -1 the model input). */
export type PlannedOp = (
  | {
      kind: 'dense';
      layer: string;
      /** Store names of the weights. */
      kernel: string;
      bias: string | null;
      inputs: number;
      units: number;
      /** Activation code applied in the GEMM's epilogue (linear, relu, relu6, leaky). */
      act: number;
      alpha: number;
    }
  | { kind: 'activation'; layer: string; act: number; alpha: number; width: number }
  | { kind: 'softmax'; layer: string; log: boolean; width: number }
  | { kind: 'dropout'; layer: string; rate: number; width: number }
  /** Max over groups of `pieces` consecutive inputs: `units · pieces` in, `width` = `units` out. */
  | { kind: 'maxout'; layer: string; units: number; pieces: number; width: number }
  | { kind: 'add'; layer: string; width: number }
  | { kind: 'concat'; layer: string; widths: number[]; width: number }
) & { from: number[] };

/** The loss of the last output, as the resident step computes it. */
export type PlannedLoss =
  | { kind: 'crossentropy'; sparse: boolean; epsilon: number }
  | { kind: 'binary_crossentropy'; epsilon: number }
  | { kind: 'mse' }
  | { kind: 'mae' };

export type PlannedMetric =
  | 'categorical_accuracy'
  | 'sparse_categorical_accuracy'
  | 'binary_accuracy'
  | 'mse'
  | 'mae';

/** A model the resident step can train. */
export interface ResidentPlan {
  /** Values per input example (its shape flattened). */
  features: number;
  ops: PlannedOp[];
  /** Width of the model's output. */
  outputs: number;
  /** Values per target row the step reads (classes for one-hot, 1 for ids and binary). */
  targetWidth: number;
  loss: PlannedLoss;
  metrics: PlannedMetric[];
  /** Widest activation, for scratch sizing. */
  maxWidth: number;
}

/** What planning found: a plan, or why the model trains on the tfjs path. */
export type PlanOutcome =
  | { plan: ResidentPlan; reason?: undefined }
  | { plan?: undefined; reason: string };

/** Keras's epsilon for clipping probabilities (the losses' EPSILON). */
const EPSILON = 1e-7;

/** Built-in activations by serialized name: kernel code and parameter; softmax apart. */
const ACTIVATIONS: Record<string, { act: number; alpha: number } | 'softmax' | 'log_softmax'> = {
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

class NotPlanned extends Error {}

function refuse(reason: string): never {
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
function planLayers(model: Model, features: number): { ops: PlannedOp[]; width: number } {
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

function planLoss(loss: Loss, last: PlannedOp | undefined): PlannedLoss {
  const config = (loss as { getConfig?: () => Record<string, unknown> }).getConfig?.() ?? {};
  const probabilities = last?.kind === 'softmax' && !last.log;
  const fromLogits = config['fromLogits'] === true;
  const smoothing = (config['labelSmoothing'] as number | undefined) ?? 0;
  const reduction = config['reduction'] ?? 'sum_over_batch_size';
  if (reduction !== 'sum_over_batch_size')
    refuse(`${loss.className ?? loss.name} with reduction '${String(reduction)}'`);
  if (config['ignoreClass'] !== undefined && config['ignoreClass'] !== null)
    refuse(`${loss.className ?? loss.name} with ignoreClass`);
  switch (loss.className) {
    case 'CategoricalCrossentropy':
    case 'SparseCategoricalCrossentropy':
      if (fromLogits || smoothing !== 0)
        refuse(`${loss.className} with fromLogits or label smoothing`);
      if (!probabilities) refuse(`${loss.className} on an output that is not a softmax`);
      return {
        kind: 'crossentropy',
        sparse: loss.className.startsWith('Sparse'),
        epsilon: EPSILON,
      };
    case 'BinaryCrossentropy':
      if (fromLogits || smoothing !== 0)
        refuse('BinaryCrossentropy with fromLogits or label smoothing');
      return { kind: 'binary_crossentropy', epsilon: EPSILON };
    case 'MeanSquaredError':
      return { kind: 'mse' };
    case 'MeanAbsoluteError':
      return { kind: 'mae' };
    default:
      return refuse(`loss ${loss.className ?? loss.name} is not planned`);
  }
}

function planMetric(metric: Metric, outputs: number, targets: TargetKind): PlannedMetric {
  const className = (metric as { className?: string }).className;
  switch (className) {
    case 'CategoricalAccuracy':
      return 'categorical_accuracy';
    case 'SparseCategoricalAccuracy':
      return 'sparse_categorical_accuracy';
    case 'BinaryAccuracy': {
      const threshold = (metric as { threshold?: number }).threshold;
      if (threshold !== 0.5) refuse('BinaryAccuracy with a threshold other than 0.5');
      return 'binary_accuracy';
    }
    case 'AutoAccuracy':
      if (outputs === 1) return 'binary_accuracy';
      return targets === 'sparse' ? 'sparse_categorical_accuracy' : 'categorical_accuracy';
    case 'MeanSquaredError':
      return 'mse';
    case 'MeanAbsoluteError':
      return 'mae';
    default:
      return refuse(`metric "${metric.name}" is not planned`);
  }
}

/**
 * Plans the resident step of a built, single-input, single-output model made of layers
 * in a chain, or says why it trains on the tfjs path.
 *
 * ```ts
 * const { plan, reason } = planResidentStep(model, { loss, metrics, targets: 'one-hot', features: 784 });
 * ```
 */
export function planResidentStep(
  model: Model,
  options: {
    loss: Loss;
    metrics: Metric[];
    targets: TargetKind;
    features: number;
    targetWidth: number;
  },
): PlanOutcome {
  try {
    if (!model.built) refuse('the model is not built');
    if (model.inputs.length !== 1 || model.outputs.length !== 1)
      refuse('the model has several inputs or outputs');
    const { ops, width } = planLayers(model, options.features);
    if (!ops.some((op) => op.kind === 'dense')) refuse('the model has no Dense layer');
    const loss = planLoss(options.loss, ops.at(-1));
    if (loss.kind === 'crossentropy' && loss.sparse !== (options.targets === 'sparse')) {
      refuse('the targets do not match the loss');
    }
    const metrics = options.metrics.map((m) => planMetric(m, width, options.targets));
    const maxWidth = Math.max(
      options.features,
      ...ops.map((op) => (op.kind === 'dense' ? op.units : op.width)),
    );
    return {
      plan: {
        features: options.features,
        ops,
        outputs: width,
        targetWidth: options.targetWidth,
        loss,
        metrics,
        maxWidth,
      },
    };
  } catch (error) {
    if (error instanceof NotPlanned) return { reason: error.message };
    throw error;
  }
}

/**
 * Why this model would train on the tfjs path, or undefined when the resident step plans
 * it — from its layers, and from its compiled loss and metrics when it is compiled (the
 * targets then follow from the loss). For `summary`; `fit` decides with the data in hand.
 */
export function residentPlanReason(model: Model): string | undefined {
  if (!model.built) return 'the model is not built';
  const shape = model.inputs[0]?.shape ?? [];
  const features = shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
  const compiled = model.compiled;
  if (compiled === undefined) {
    try {
      planLayers(model, features);
      return undefined;
    } catch (error) {
      if (error instanceof NotPlanned) return error.message;
      throw error;
    }
  }
  const className = compiled.loss.className ?? '';
  const targets: TargetKind = className.startsWith('Sparse')
    ? 'sparse'
    : className === 'CategoricalCrossentropy'
      ? 'one-hot'
      : className === 'BinaryCrossentropy'
        ? 'binary'
        : 'regression';
  const width = (model.outputShape as (number | null)[]).at(-1) ?? 1;
  const outcome = planResidentStep(model, {
    loss: compiled.loss,
    metrics: compiled.metrics,
    targets,
    features,
    targetWidth: targets === 'one-hot' || targets === 'regression' ? width : 1,
  });
  return outcome.reason;
}

/** The builtin activation names the resident step computes (for docs and tests). */
export const RESIDENT_ACTIVATIONS: readonly string[] = Object.keys(ACTIVATIONS).filter((name) => {
  try {
    return activations.get(name as Parameters<typeof activations.get>[0]) !== undefined;
  } catch {
    return false;
  }
});
