/**
 * The resident path of a worker (see stepper.ts): @tessera/layers' ResidentStep runs the
 * planned kernels over the shared WebAssembly memory — weights, this worker's gradient
 * slot and scratch, the compressed rows of the training set — and the update phase sums
 * the slots and applies the optimizer in the same memory (Adam fused in one kernel pass).
 * Once the first steps have made their views, a step allocates nothing: no tensors, no
 * arrays, no closures, so the worker's garbage collector has nothing to do mid-epoch.
 */
import { ResidentKernels, RngStream, tf } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import type { Adam, Optimizer, UpdateArgs } from '@tessera/layers';
import { ResidentStep } from '@tessera/layers';
import type { Stepper, StepperContext } from './stepper.js';
import type { ResidentSession } from './training-path.js';

/** The reusable argument object of ResidentStep.gradients. */
interface GradientArgs {
  examples: number;
  rows: number;
  params: number;
  grads: number;
  scale: number;
  rng: RngStream | undefined;
}

export class ResidentStepper implements Stepper {
  readonly values: Float64Array;
  private readonly step: ResidentStep;
  private readonly kernels: ResidentKernels;
  private readonly args: GradientArgs;
  private readonly dropout: boolean;
  private readonly tensorCount: number;
  /** Exact-length views of the step's input and target rows, by row count. */
  private readonly inputs = new Map<number, Float32Array>();
  private readonly targets = new Map<number, Float32Array>();
  private readonly targetOptions: { oneHot: boolean };
  private readonly adam: Adam | undefined;
  private readonly coefficients = new Float64Array(5);
  private readonly updateArgs: UpdateArgs;
  private readonly floatBytes: number;

  constructor(
    private readonly context: StepperContext,
    session: ResidentSession,
    worker: number,
    private readonly optimizer: Optimizer,
  ) {
    const { shared } = context;
    const memory = shared.wasmMemory;
    if (memory === undefined)
      throw new Error('resident step: the shared state has no WebAssembly memory');
    const scratch = session.scratch[worker]!;
    this.kernels = new ResidentKernels(memory, scratch);
    this.step = new ResidentStep(session.plan, {
      kernels: this.kernels,
      scratch,
      maxRows: session.maxRows,
      offsetOf: (name) => shared.store.entry(name).offset,
      input: session.input,
    });
    this.values = this.step.values;
    this.args = {
      examples: 0,
      rows: 0,
      params: shared.layout.params,
      grads: shared.gradOffset(worker),
      scale: 1,
      rng: undefined,
    };
    this.dropout = session.plan.ops.some((op) => op.kind === 'dropout');
    this.tensorCount = tf.memory().numTensors;
    this.targetOptions = { oneHot: context.init.targets === 'one-hot' };
    this.adam = optimizer.fusedRule === 'adam' ? (optimizer as Adam) : undefined;
    this.updateArgs = {
      params: shared.store.data,
      grads: shared.gradSlot(worker),
      slots: shared.optimizerSlots(),
      iteration: 1,
    };
    this.floatBytes = shared.gradOffset(1) - shared.gradOffset(0);
  }

  private exact(
    cache: Map<number, Float32Array>,
    view: Float32Array,
    length: number,
  ): Float32Array {
    let v = cache.get(length);
    if (v === undefined) {
      v = view.subarray(0, length);
      cache.set(length, v);
    }
    return v;
  }

  /** Gathers rows permutation/order[start, end) of `data` into the step's input and targets. */
  private gather(
    data: Dataset,
    order: ArrayLike<number>,
    start: number,
    end: number,
    features: boolean,
  ): void {
    const rows = end - start;
    if (features)
      data.gatherFeatures(
        order,
        start,
        end,
        this.exact(this.inputs, this.step.inputView, rows * data.featureSize),
      );
    const width = this.step.plan.targetWidth;
    data.gatherTargets(
      order,
      start,
      end,
      this.targetOptions,
      this.exact(this.targets, this.step.targetView, rows * width),
    );
  }

  gradients(worker: number, iteration: number, start: number, end: number, batch: number): void {
    const { shared, train, init } = this.context;
    this.gather(train, shared.permutation, start, end, !this.step.sparseInput);
    const args = this.args;
    args.examples = shared.layout.permutation + start * 4;
    args.rows = end - start;
    args.scale = (end - start) / batch;
    args.rng = this.dropout
      ? RngStream.fromSeed(init.seed, `dropout/${iteration}/${worker}`)
      : undefined;
    this.step.gradients(args);
  }

  update(
    worker: number,
    iteration: number,
    learningRate: number | undefined,
    start: number,
    end: number,
    shards: number,
  ): void {
    if (start === end) return;
    const { shared } = this.context;
    const k = this.kernels.raw;
    const offset = start * 4;
    const bytes = (end - start) * 4;
    const params = shared.layout.params + offset;
    k.copyBytes(shared.backupOffset(0) + offset, params, bytes);
    for (let s = 0; s < shared.slotCount; s++)
      k.copyBytes(shared.backupOffset(1 + s) + offset, shared.slotOffset(s) + offset, bytes);
    shared.channel.backedUp(worker, iteration);
    if (learningRate !== undefined) this.optimizer.learningRate = learningRate;
    const first = shared.gradOffset(0) + offset;
    const adam = this.adam;
    if (adam !== undefined) {
      const c = this.coefficients;
      adam.adamCoefficients(iteration, c);
      const vhat = adam.amsgrad ? shared.slotOffset(2) + offset : 0;
      // biome-ignore format: the kernel's argument list
      k.adamSlots(params, first, this.floatBytes, shards, shared.slotOffset(0) + offset, shared.slotOffset(1) + offset, vhat, end - start, c[0]!, c[1]!, c[2]!, c[3]!, c[4]!);
      return;
    }
    // Any other rule: the slots summed in place into this worker's own slot, then its loop.
    k.sumSlots(shared.gradOffset(worker) + offset, first, this.floatBytes, shards, end - start);
    const args = this.updateArgs;
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
    const chunk = this.step.inputView.length / data.featureSize;
    const order = new Int32Array(chunk);
    let lossSum = 0;
    const metricSums = new Array<number>(this.values.length - 1).fill(0);
    const params = this.context.shared.layout.params;
    for (let at = start; at < end; at += chunk) {
      const to = Math.min(end, at + chunk);
      for (let i = at; i < to; i++) order[i - at] = i;
      this.gather(data, order, 0, to - at, true);
      this.step.evaluate({ rows: to - at, params });
      lossSum += this.values[0]! * (to - at);
      for (let m = 0; m < metricSums.length; m++) metricSums[m]! += this.values[1 + m]! * (to - at);
    }
    return { lossSum, metricSums, examples: end - start };
  }

  tensors(): number {
    return this.tensorCount;
  }
}
