/**
 * The resident path of a worker (see stepper.ts): @tessera/layers' ResidentStep runs the
 * planned kernels over the shared WebAssembly memory. In the gradient phase the worker
 * writes its shard's activations and deltas into the batch-wide buffers; in the update
 * phase it computes the gradient of its own slice of the parameters over the whole batch
 * and applies the optimizer there at once (Adam fused in one kernel pass). No gradient
 * slot is summed across workers and none crosses between cores. Once the first steps have
 * made their views, a step allocates nothing: no tensors, no arrays, no closures.
 */
import { ResidentKernels, RngStream, tf } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import type { Adam, ForwardBackwardArgs, Optimizer, UpdateArgs } from '@tessera/layers';
import { ResidentStep } from '@tessera/layers';
import type { Batch, Stepper, StepperContext } from './stepper.js';
import type { ResidentSession } from './training-path.js';

export class ResidentStepper implements Stepper {
  readonly values: Float64Array;
  private readonly step: ResidentStep;
  private readonly kernels: ResidentKernels;
  private readonly phase1: ForwardBackwardArgs;
  private readonly phase2: { examples: number; rows: number; start: number; end: number };
  private readonly dropout: boolean;
  private readonly tensorCount: number;
  /** Exact-length views of the target rows, by row count. */
  private readonly targets = new Map<number, Float32Array>();
  private readonly targetOptions: { oneHot: boolean };
  private readonly adam: Adam | undefined;
  private readonly coefficients = new Float64Array(5);
  private readonly updateArgs: UpdateArgs;
  /** Gradient views (parameter-indexed) by the byte offset sliceGradient returned. */
  private readonly gradientViews = new Map<number, Float32Array>();
  private readonly maxRows: number;

  constructor(
    private readonly context: StepperContext,
    session: ResidentSession,
    private readonly worker: number,
    private readonly optimizer: Optimizer,
  ) {
    const { shared } = context;
    const memory = shared.wasmMemory;
    if (memory === undefined) {
      throw new Error('resident step: the shared state has no WebAssembly memory');
    }
    const scratch = session.scratch[worker]!;
    this.kernels = new ResidentKernels(memory, scratch);
    this.step = new ResidentStep(session.plan, {
      kernels: this.kernels,
      scratch,
      shared: session.shared,
      sharedRows: session.sharedRows,
      maxRows: session.maxRows,
      sliceFloats: session.sliceFloats,
      offsetOf: (name) => shared.store.entry(name).offset,
      input: session.input,
    });
    this.maxRows = session.maxRows;
    this.values = this.step.values;
    const params = shared.layout.params;
    this.phase1 = { examples: 0, rows: 0, at: 0, params, scale: 1, rng: undefined };
    this.phase2 = { examples: 0, rows: 0, start: 0, end: 0 };
    this.dropout = session.plan.ops.some((op) => op.kind === 'dropout');
    this.tensorCount = tf.memory().numTensors;
    this.targetOptions = { oneHot: context.init.targets === 'one-hot' };
    this.adam = optimizer.fusedRule === 'adam' ? (optimizer as Adam) : undefined;
    this.updateArgs = {
      params: shared.store.data,
      grads: shared.store.data,
      slots: shared.optimizerSlots(),
      iteration: 1,
    };
  }

  /** Gathers rows order[start, end) of `data` into the step's targets (and dense input rows at `at`). */
  private gather(
    data: Dataset,
    order: ArrayLike<number>,
    start: number,
    end: number,
    at: number,
    features: boolean,
  ): void {
    const rows = end - start;
    if (features) data.gatherFeatures(order, start, end, this.step.inputRows(at, rows));
    let y = this.targets.get(rows);
    if (y === undefined) {
      y = this.step.targetView.subarray(0, rows * this.step.plan.targetWidth);
      this.targets.set(rows, y);
    }
    data.gatherTargets(order, start, end, this.targetOptions, y);
  }

  gradients(worker: number, iteration: number, batch: Batch, start: number, end: number): void {
    const { shared, train, init } = this.context;
    const at = start - batch.start;
    this.gather(train, shared.permutation, start, end, at, !this.step.sparseInput);
    const args = this.phase1;
    args.examples = shared.layout.permutation + start * 4;
    args.rows = end - start;
    args.at = at;
    args.scale = (end - start) / (batch.end - batch.start);
    args.rng = this.dropout
      ? RngStream.fromSeed(init.seed, `dropout/${iteration}/${worker}`)
      : undefined;
    this.step.forwardBackward(args);
  }

  update(
    worker: number,
    iteration: number,
    learningRate: number | undefined,
    batch: Batch,
    start: number,
    end: number,
  ): void {
    if (start === end) return;
    const { shared } = this.context;
    const k = this.kernels.raw;
    const slice = this.phase2;
    slice.examples = shared.layout.permutation + batch.start * 4;
    slice.rows = batch.end - batch.start;
    slice.start = start;
    slice.end = end;
    const gradient = this.step.sliceGradient(slice);
    const offset = start * 4;
    const bytes = (end - start) * 4;
    const params = shared.layout.params + offset;
    k.copyBytes(shared.backupOffset(0) + offset, params, bytes);
    for (let s = 0; s < shared.slotCount; s++) {
      k.copyBytes(shared.backupOffset(1 + s) + offset, shared.slotOffset(s) + offset, bytes);
    }
    shared.channel.backedUp(worker, iteration);
    if (learningRate !== undefined) this.optimizer.learningRate = learningRate;
    const adam = this.adam;
    if (adam !== undefined) {
      const c = this.coefficients;
      adam.adamCoefficients(iteration, c);
      const vhat = adam.amsgrad ? shared.slotOffset(2) + offset : 0;
      const m = shared.slotOffset(0) + offset;
      const v = shared.slotOffset(1) + offset;
      // biome-ignore format: the kernel's argument list
      k.adamSlots(params, gradient + offset, 0, 1, m, v, vhat, end - start, c[0]!, c[1]!, c[2]!, c[3]!, c[4]!);
      return;
    }
    // Any other rule: its own loop over a parameter-indexed view of the slice's gradient.
    let grads = this.gradientViews.get(gradient);
    if (grads === undefined) {
      grads = new Float32Array(shared.buffer, gradient, shared.length);
      this.gradientViews.set(gradient, grads);
    }
    const args = this.updateArgs;
    args.grads = grads;
    args.iteration = iteration;
    args.start = start;
    args.end = end;
    this.optimizer.applyUpdate(args);
  }

  evaluate(
    data: Dataset,
    start: number,
    end: number,
  ): { lossSum: number; metricSums: number[]; examples: number } {
    const chunk = this.maxRows;
    const order = new Int32Array(chunk);
    // Each worker evaluates in its own rows of the batch-wide buffers.
    const at = this.worker * chunk;
    let lossSum = 0;
    const metricSums = new Array<number>(this.values.length - 1).fill(0);
    const params = this.context.shared.layout.params;
    for (let from = start; from < end; from += chunk) {
      const to = Math.min(end, from + chunk);
      for (let i = from; i < to; i++) order[i - from] = i;
      this.gather(data, order, 0, to - from, at, true);
      this.step.evaluate({ rows: to - from, at, params });
      lossSum += this.values[0]! * (to - from);
      for (let m = 0; m < metricSums.length; m++) {
        metricSums[m] = metricSums[m]! + this.values[1 + m]! * (to - from);
      }
    }
    return { lossSum, metricSums, examples: end - start };
  }

  tensors(): number {
    return this.tensorCount;
  }
}
