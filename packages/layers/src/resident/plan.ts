/**
 * Planning a resident training step: reads a model's layers, loss and metrics by their
 * serialized configs (what they declare, never their classes' internals) and either
 * returns the list of kernel operations that compute the step over memory that stays in
 * place (see resident-step.ts), or the reason the model must train on the tfjs autodiff
 * path. A layer, activation, loss or metric this planner does not know — a Lambda, a
 * user's activation or layer, a regularizer — always means the tfjs path, never an
 * approximation. The layers are planned in plan-layers.ts, the plan's types are in
 * plan-types.ts. The living description is docs/resident-step.md.
 */
import { activations } from '../activations/index.js';
import type { Model } from '../engine/model.js';
import type { Loss } from '../losses/index.js';
import type { Metric } from '../metrics/index.js';
import { ACTIVATIONS, NotPlanned, planLayers, refuse } from './plan-layers.js';
import type {
  PlannedLoss,
  PlannedMetric,
  PlannedOp,
  PlanOutcome,
  TargetKind,
} from './plan-types.js';

/** Keras's epsilon for clipping probabilities (the losses' EPSILON). */
const EPSILON = 1e-7;

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
