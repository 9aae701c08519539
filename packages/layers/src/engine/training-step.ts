/**
 * ONE training step, used by `model.fit` and by the data-parallel trainer alike, so the
 * two cannot drift apart: forward, loss (+ regularization), backward, gradients written
 * into a flat Float32Array at the offsets of the parameter layout. It never changes a
 * weight; the caller applies the optimizer update only after the step succeeded, so a
 * failed step leaves weights and optimizer state untouched.
 */
import { type RngStream, received, type Tensor, tf, ValueError } from '@tessera/core';
import type { Loss } from '../losses/index.js';
import type { Metric } from '../metrics/index.js';
import { MetricStatistics } from '../metrics/statistics.js';
import type { BatchExchange, CallContext, StateUpdate } from './call-context.js';
import type { Model } from './model.js';
import { checkScalar, lossOf, meanOverRows, type ShardOfBatch, shardLoss } from './step-loss.js';
import type { StepNoise } from './step-noise.js';

/** Loss (data loss + regularization) and metric values of one batch. */
export interface StepResult {
  /** Data loss (mean over the batch) plus regularization. */
  loss: number;
  /** One value per `TrainingStep.metricNames` entry. */
  metrics: number[];
  /**
   * The batch's metric statistics (`TrainingStep.statistics` layout): averaged over batches
   * or shards weighted by their rows, `statistics.values` turns them into the metrics of
   * all those rows (precision, AUC, R² from accumulated counts, as Keras does).
   */
  statistics: number[];
}

/** Options of `new TrainingStep(model, …)`. */
export interface TrainingStepOptions {
  /** The loss; with several outputs it is applied to each and summed. */
  loss: Loss;
  /** Metrics computed on each batch (in this order in `StepResult.metrics`). */
  metrics: Metric[];
  /** Stream for dropout masks (layers with their own seed use theirs). */
  rng?: RngStream;
}

function toList(x: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(x) ? x : [x];
}

/**
 * One forward/backward pass for a model, loss and metrics (see the module comment).
 *
 * ```ts
 * const step = new TrainingStep(model, { loss, metrics, rng });
 * const { loss } = step.computeGradients(x, y, grads, offsets, shard / batch);
 * ```
 */
export class TrainingStep {
  readonly model: Model;
  readonly loss: Loss;
  readonly metrics: Metric[];
  /** Keys of the metric values: 'accuracy', or '<output>_accuracy' with several outputs. */
  readonly metricNames: string[];
  /** How the metrics accumulate over batches and workers (see StepResult.statistics). */
  readonly statistics: MetricStatistics;
  private readonly rng: RngStream | undefined;
  /** State updates of the last `computeGradients` (moving statistics), not yet written. */
  private pending: StateUpdate[] = [];

  constructor(model: Model, options: TrainingStepOptions) {
    this.model = model;
    this.loss = options.loss;
    this.metrics = options.metrics;
    this.rng = options.rng;
    const outputs = model.outputs;
    this.metricNames =
      outputs.length === 1
        ? options.metrics.map((m) => m.name)
        : outputs.flatMap((o) => options.metrics.map((m) => `${o.sourceLayer.name}_${m.name}`));
    this.statistics = new MetricStatistics(
      options.metrics,
      outputs.map((o) => o.shape),
    );
  }

  /**
   * Forward + backward on one batch. Writes `scale * d(total loss)/d(w)` for every
   * trainable weight (in `model.trainableWeights` order) into
   * `grads[offsets[i] … offsets[i] + size)`, overwriting. Total loss = data loss (mean
   * over this batch) + regularization losses. Returns the unscaled loss and metrics.
   * `options.noise`: the step's noise (step-noise.ts, made per step by `model.fit` and the
   * trainer, so a resumed run and any worker count draw the same masks); without it,
   * `options.rng` or the stream given at construction.
   *
   * `options.exchange`: this batch is one shard of a global batch (the data-parallel
   * trainer, `scale` = shard rows / batch rows). BatchNormalization then uses the global
   * batch's statistics, and a loss that is not a plain mean over rows (reduction 'sum', or
   * a count of rows kept by ignoreClass) is computed as this shard's share of the global
   * batch's loss, so the scaled gradients of the shards add up to the whole batch's.
   */
  computeGradients(
    x: Tensor | Tensor[],
    y: Tensor | Tensor[],
    grads: Float32Array,
    offsets: readonly number[],
    scale: number,
    options: {
      noise?: StepNoise;
      rng?: RngStream;
      sampleWeight?: Tensor;
      exchange?: BatchExchange;
      /** These rows' place in the global batch (CallContext.rows), for layers that draw noise. */
      rows?: { offset: number; total: number };
    } = {},
  ): StepResult {
    const rng = options.rng ?? this.rng;
    const { noise, sampleWeight, exchange, rows } = options;
    const weights = this.model.trainableWeights;
    if (offsets.length !== weights.length) {
      throw new ValueError(
        received(
          `TrainingStep: expected one offset per trainable weight (${weights.length})`,
          'offsets',
          offsets.length,
        ),
      );
    }
    weights.forEach((w, i) => {
      const off = offsets[i] as number;
      if (!Number.isInteger(off) || off < 0 || off + w.size > grads.length) {
        throw new ValueError(
          received(
            `TrainingStep: gradient of "${w.name}" (${w.size} values) does not fit the grads array at this offset`,
            'offset',
            off,
          ),
        );
      }
    });
    let metrics: number[] = [];
    let statistics: number[] = [];
    let loss = 0;
    const extra: Tensor[] = [];
    this.discardUpdates();
    const updates: StateUpdate[] = [];
    const objective = (): tf.Scalar => {
      const preds = this.model.invoke(toList(x), {
        training: true,
        noise,
        rng,
        losses: extra,
        updates,
        exchange,
        rows,
      });
      const ys = this.targets(y, preds.length);
      ({ values: metrics, statistics } = this.statistics.batch(ys, preds));
      const shard = exchange === undefined ? undefined : { exchange, scale };
      const total = this.totalLoss(ys, preds, extra, sampleWeight, shard);
      loss = total.dataSync()[0] as number;
      // Differentiating scale·loss writes scaled gradients straight out of the backward
      // pass: the copy into `grads` is then a plain memory copy.
      return scale === 1 ? total : tf.mul(total, scale);
    };
    if (weights.length === 0) {
      try {
        tf.tidy(() => {
          objective();
        });
        this.pending = updates.splice(0);
        return { loss, metrics, statistics };
      } finally {
        for (const t of extra) t.dispose();
        for (const u of updates) u.value.dispose();
      }
    }
    let result: ReturnType<typeof tf.variableGrads>;
    try {
      result = tf.variableGrads(
        objective,
        weights.map((w) => w.variable),
      );
    } catch (error) {
      releaseTape();
      for (const u of updates) u.value.dispose();
      throw error;
    } finally {
      for (const t of extra) t.dispose();
    }
    this.pending = updates;
    const { value, grads: named } = result;
    try {
      weights.forEach((w, i) => {
        const off = offsets[i] as number;
        const g = named[w.variable.name];
        if (g === undefined || g === null) {
          grads.fill(0, off, off + w.size);
          return;
        }
        grads.set((g.dataSync() as Float32Array).subarray(0, w.size), off);
      });
      return { loss, metrics, statistics };
    } finally {
      value.dispose();
      for (const g of Object.values(named)) g?.dispose();
    }
  }

  /**
   * Writes the state updates of the last `computeGradients` (BatchNormalization's moving
   * statistics). The caller does this once the step succeeded, with its weight update.
   */
  commitUpdates(): void {
    for (const u of this.pending) {
      u.weight.write(u.value);
      u.value.dispose();
    }
    this.pending = [];
  }

  /** Drops state updates not written (a failed or vetoed step). */
  discardUpdates(): void {
    for (const u of this.pending) u.value.dispose();
    this.pending = [];
  }

  /**
   * Loss and metrics without gradients (inference mode). `sampleWeight` (`[n]`) weighs the
   * loss, not the metrics (Keras's `metrics`, as opposed to `weighted_metrics`).
   */
  evaluate(x: Tensor | Tensor[], y: Tensor | Tensor[], sampleWeight?: Tensor): StepResult {
    const extra: Tensor[] = [];
    try {
      return tf.tidy(() => {
        const context: CallContext = { training: false, losses: extra };
        const preds = this.model.invoke(toList(x), context);
        const ys = this.targets(y, preds.length);
        const { values: metrics, statistics } = this.statistics.batch(ys, preds);
        const loss = this.totalLoss(ys, preds, extra, sampleWeight).dataSync()[0] as number;
        return { loss, metrics, statistics };
      });
    } finally {
      for (const t of extra) t.dispose();
    }
  }

  private targets(y: Tensor | Tensor[], outputs: number): Tensor[] {
    const ys = toList(y);
    if (ys.length !== outputs) {
      throw new ValueError(
        received(
          `TrainingStep: the model has ${outputs} output(s), so y needs as many target tensors`,
          'targets',
          ys.length,
        ),
      );
    }
    return ys;
  }

  private dataLoss(
    yTrue: Tensor,
    yPred: Tensor,
    sampleWeight: Tensor | undefined,
    shard: ShardOfBatch | undefined,
  ): Tensor {
    // reduction 'none' is refused below, as on one thread.
    if (
      shard !== undefined &&
      this.loss.reduction !== 'none' &&
      !meanOverRows(this.loss, yTrue, yPred)
    ) {
      return shardLoss(this.loss, yTrue, yPred, sampleWeight, shard);
    }
    if (sampleWeight === undefined) return checkScalar(this.loss, lossOf(this.loss, yTrue, yPred));
    if (typeof this.loss.perExample !== 'function') {
      throw new ValueError(
        received(
          'sampleWeight and classWeight need a loss with per-example values (every built-in loss, a loss function, or a Loss with perExample)',
          'loss',
          this.loss.name,
        ),
      );
    }
    return checkScalar(this.loss, this.loss.call(yTrue, yPred, sampleWeight));
  }

  private totalLoss(
    ys: Tensor[],
    preds: Tensor[],
    extra: Tensor[],
    sampleWeight?: Tensor,
    shard?: ShardOfBatch,
  ): tf.Scalar {
    let total = this.dataLoss(ys[0] as Tensor, preds[0] as Tensor, sampleWeight, shard);
    for (let i = 1; i < preds.length; i++)
      total = tf.add(
        total,
        this.dataLoss(ys[i] as Tensor, preds[i] as Tensor, sampleWeight, shard),
      );
    for (const w of this.model.weights) {
      if (w.regularizer !== undefined) total = tf.add(total, w.regularizer.apply(w.value));
    }
    for (const l of extra) total = tf.add(total, l);
    return total as tf.Scalar;
  }
}

/**
 * After a forward pass that threw inside `tf.variableGrads`, tfjs 4.22 leaves its tape
 * (and the tensors it saved for the backward pass) behind; a successful pass frees them.
 * Do what the engine does on success, so a failed step leaks nothing.
 */
function releaseTape(): void {
  type EngineState = { gradientDepth?: number; activeTape?: { saved?: Tensor[] }[] | null };
  const state = (tf.engine() as unknown as { state?: EngineState }).state;
  if (state === undefined || state.gradientDepth !== 0 || !Array.isArray(state.activeTape)) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null;
}

/** Projects every constrained weight back into its set (after an update), in place. */
export function applyConstraints(model: Model): void {
  for (const w of model.weights) {
    const c = w.constraint;
    if (c === undefined || !w.trainable) continue;
    const projected = tf.tidy(() => c.apply(w.variable));
    w.write(projected);
    projected.dispose();
  }
}
