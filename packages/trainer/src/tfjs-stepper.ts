/**
 * The tfjs autodiff path of a worker (see stepper.ts): gathers the shard into tensors,
 * runs @tessera/layers' TrainingStep (forward, loss, tape, backward) into the gradient
 * slot, and applies the optimizer's `applyUpdate` to the slice. Every model trains here
 * when the resident step cannot plan it (Lambda layers, a user's activation, …).
 */
import { type Tensor, tf } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import {
  type Optimizer,
  rowWeights,
  StepNoise,
  type TrainingStep,
  type UpdateArgs,
} from '@tessera/layers';
import { type Collective, WorkerExchange } from './collective.js';
import { shardOffset, shardSize } from './sharding.js';
import type { Batch, Stepper, StepperContext } from './stepper.js';
import { targetShape } from './targets.js';

/** Largest number of examples one evaluation chunk holds in memory. */
const EVAL_CHUNK = 2048;

export class TfjsStepper implements Stepper {
  readonly values: Float64Array;
  /** Each worker has its shard and its slice: every step waits for every worker. */
  readonly chunked = false;
  private readonly gradSlots: Float32Array[];
  private readonly slots: Float32Array[];
  private readonly backups: Float32Array[];
  private readonly offsets: number[];
  private xBuffer = new Float32Array(0);
  private yBuffer = new Float32Array(0);
  private wBuffer = new Float32Array(0);
  private readonly updateArgs: UpdateArgs;
  /** The exchange among the step's shards, and among all workers in the update phase. */
  private readonly exchange: WorkerExchange;
  /**
   * With globalClipnorm (one value) or clipnorm (one per variable): sums of squares of the
   * summed gradient, this worker's slice's part, then (exchanged) the whole gradient's.
   */
  private readonly squares: Float64Array | undefined;

  constructor(
    private readonly context: StepperContext,
    private readonly step: TrainingStep,
    private readonly optimizer: Optimizer,
    collective: Collective,
    worker: number,
  ) {
    const { shared } = context;
    this.values = new Float64Array(1 + step.statistics.size);
    this.gradSlots = Array.from({ length: shared.workers }, (_, k) => shared.gradSlot(k));
    this.slots = shared.optimizerSlots();
    this.backups = Array.from({ length: 1 + shared.slotCount }, (_, i) => shared.backupArray(i));
    this.offsets = step.model.trainableWeights.map((w) => shared.store.entry(w.name).offset);
    this.updateArgs = {
      params: shared.store.data,
      grads: this.gradSlots[0]!,
      slots: this.slots,
      iteration: 1,
      // Names and ranges of the trainable weights, for excludeFromWeightDecay.
      variables: step.model.trainableWeights.map((w, i) => ({
        name: w.name,
        start: this.offsets[i]!,
        end: this.offsets[i]! + w.size,
      })),
    };
    this.exchange = new WorkerExchange(collective, worker);
    this.squares =
      optimizer.globalClipnorm !== null
        ? new Float64Array(1)
        : optimizer.clipnorm !== null
          ? new Float64Array(this.offsets.length)
          : undefined;
    if (optimizer.clipnorm !== null)
      this.updateArgs.variableNorms = new Float64Array(this.offsets.length);
  }

  private batchTensors(
    data: Dataset,
    order: ArrayLike<number>,
    start: number,
    end: number,
  ): [Tensor, Tensor] {
    const n = end - start;
    const encoding = this.context.init.targets;
    const xLen = n * data.featureSize;
    const yLen = n * (encoding === 'one-hot' ? (data.numClasses ?? 1) : data.targetSize);
    if (this.xBuffer.length < xLen) this.xBuffer = new Float32Array(xLen);
    if (this.yBuffer.length < yLen) this.yBuffer = new Float32Array(yLen);
    const xs = data.gatherFeatures(order, start, end, this.xBuffer.subarray(0, xLen));
    const ys = data.gatherTargets(
      order,
      start,
      end,
      { oneHot: encoding === 'one-hot' },
      this.yBuffer.subarray(0, yLen),
    );
    return [
      tf.tensor(xs, [n, ...data.featureShape], 'float32'),
      tf.tensor(ys, targetShape(encoding, data, n), 'float32'),
    ];
  }

  /** The weights of examples order[start, end) as a `[n]` tensor (the caller disposes it). */
  private gatherWeights(
    weights: Float32Array,
    order: ArrayLike<number>,
    start: number,
    end: number,
  ): Tensor {
    const n = end - start;
    if (this.wBuffer.length < n) this.wBuffer = new Float32Array(n);
    for (let i = 0; i < n; i++) this.wBuffer[i] = weights[order[start + i]!]!;
    // Copied: a tensor over the reused buffer would see the next batch's weights.
    return tf.tensor1d(this.wBuffer.slice(0, n), 'float32');
  }

  gradients(worker: number, iteration: number, batch: Batch): number {
    if (worker >= batch.shards) return 0;
    const n = batch.end - batch.start;
    const start = batch.start + shardOffset(n, batch.shards, worker);
    const end = start + shardSize(n, batch.shards, worker);
    const { init, shared, train } = this.context;
    const [x, y] = this.batchTensors(train, shared.permutation, start, end);
    // Keras's weighted loss is sum(w·loss)/B: each shard's mean of w·loss scaled by shard/B.
    const weights =
      init.sampleWeight !== undefined
        ? this.gatherWeights(init.sampleWeight.train, shared.permutation, start, end)
        : init.classWeight === undefined
          ? undefined
          : rowWeights('fit', { classWeight: init.classWeight }, y, end - start);
    // Several shards: BatchNormalization's statistics and a loss's batch-wide divisor are
    // exchanged among them (collective.ts). One shard is the whole batch, as on one thread.
    const exchange = batch.shards > 1 ? this.exchange : undefined;
    this.exchange.participants = batch.shards;
    try {
      // The step's noise, keyed by row chunks of the whole batch (layers' step-noise.ts):
      // the noise a row gets depends neither on the worker count nor on the training path.
      const noise = new StepNoise(init.seed, iteration, n);
      const rows = { offset: start - batch.start, total: n };
      const r = this.step.computeGradients(
        x,
        y,
        this.gradSlots[worker]!,
        this.offsets,
        (end - start) / (batch.end - batch.start),
        weights === undefined
          ? { noise, exchange, rows }
          : { noise, sampleWeight: weights, exchange, rows },
      );
      this.values[0] = r.loss;
      for (let m = 0; m < r.statistics.length; m++) this.values[1 + m] = r.statistics[m]!;
    } finally {
      tf.dispose([x, y]);
      weights?.dispose();
    }
    return end - start;
  }

  beforeBarrier(): void {
    // The tfjs path backs its slice up in `update`, just before changing it.
  }

  update(
    worker: number,
    iteration: number,
    learningRate: number | undefined,
    batch: Batch,
    start: number,
    end: number,
  ): boolean {
    // Moving statistics (BatchNormalization: the global batch's, the same in every worker)
    // are written with the update, by worker 0.
    if (worker === 0) this.step.commitUpdates();
    else this.step.discardUpdates();
    const shards = batch.shards;
    const slots = this.gradSlots;
    const g0 = slots[0]!;
    // One shard: its slot is the sum already. Otherwise the sum goes into this worker's own
    // slot (its cache lines then stay with this thread for the next step's gradient).
    const sum = shards === 1 ? g0 : slots[worker]!;
    if (shards === 2) {
      const g1 = slots[1]!;
      for (let i = start; i < end; i++) sum[i] = g0[i]! + g1[i]!;
    } else if (shards > 2) {
      for (let i = start; i < end; i++) {
        let acc = g0[i]!;
        for (let k = 1; k < shards; k++) acc = Math.fround(acc + slots[k]![i]!);
        sum[i] = acc;
      }
    }
    if (this.squares !== undefined) this.exchangeNorms(sum, start, end);
    if (start === end) return false;
    const params = this.context.shared.store.data;
    this.backups[0]!.set(params.subarray(start, end), start);
    this.slots.forEach((slot, i) => {
      this.backups[1 + i]!.set(slot.subarray(start, end), start);
    });
    this.context.shared.channel.backedUp(worker, iteration);
    if (learningRate !== undefined) this.optimizer.learningRate = learningRate;
    const args = this.updateArgs;
    args.grads = sum;
    args.iteration = iteration;
    args.start = start;
    args.end = end;
    this.optimizer.applyUpdate(args);
    return false;
  }

  /**
   * globalClipnorm / clipnorm: the norms of the whole summed gradient, from every worker's
   * sums of squares over its slice (exchanged among all workers, empty slices included),
   * for the optimizer to clip as on one thread.
   */
  private exchangeNorms(sum: Float32Array, start: number, end: number): void {
    const squares = this.squares!;
    const args = this.updateArgs;
    const variables = args.variables!;
    squares.fill(0);
    for (let k = 0; k < squares.length; k++) {
      const from = squares.length === 1 ? start : Math.max(start, variables[k]!.start);
      const to = squares.length === 1 ? end : Math.min(end, variables[k]!.end);
      let acc = 0;
      for (let i = from; i < to; i++) acc += sum[i]! * sum[i]!;
      squares[k] = acc;
    }
    this.exchange.participants = this.context.shared.workers;
    this.exchange.sum(squares);
    if (this.optimizer.globalClipnorm !== null) {
      const norm = Math.sqrt(squares[0]!);
      // A non-finite gradient: NaN leaves it unscaled, as one thread does (NaN > clip is
      // false); an infinite norm scales it toward 0.
      args.globalNorm = Number.isNaN(norm) ? 0 : Math.min(norm, Number.MAX_VALUE);
      return;
    }
    const norms = args.variableNorms as Float64Array;
    for (let k = 0; k < squares.length; k++) norms[k] = Math.sqrt(squares[k]!);
  }

  evaluate(
    _split: 'train' | 'validation',
    data: Dataset,
    start: number,
    end: number,
    sampleWeight?: Float32Array,
  ): { lossSum: number; metricSums: number[]; examples: number } {
    const order = new Int32Array(EVAL_CHUNK);
    let lossSum = 0;
    let metricSums: number[] = [];
    for (let at = start; at < end; at += EVAL_CHUNK) {
      const to = Math.min(end, at + EVAL_CHUNK);
      for (let i = at; i < to; i++) order[i - at] = i;
      const [x, y] = this.batchTensors(data, order, 0, to - at);
      const weights =
        sampleWeight === undefined
          ? undefined
          : this.gatherWeights(sampleWeight, order, 0, to - at);
      try {
        const r = this.step.evaluate(x, y, weights);
        const n = to - at;
        lossSum += r.loss * n;
        metricSums = r.statistics.map((m, i) => (metricSums[i] ?? 0) + m * n);
      } finally {
        tf.dispose([x, y]);
        weights?.dispose();
      }
    }
    return { lossSum, metricSums, examples: end - start };
  }

  tensors(): number {
    return tf.memory().numTensors;
  }
}
