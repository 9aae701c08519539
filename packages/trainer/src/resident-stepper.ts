/**
 * The resident path of a worker (see stepper.ts): @tessera/layers' ResidentStep runs the
 * planned kernels over the shared WebAssembly memory. In the gradient phase the workers
 * claim row chunks of the batch one at a time and write their activations and deltas
 * into the batch-wide buffers (with several workers, computed in private rows and
 * published by whoever finishes a chunk first: row-chunks.ts); in the update phase each
 * worker computes the gradient of its chunk of the parameter vector over the whole batch
 * and applies the optimizer to it at once (Adam fused in one kernel pass), then takes any
 * other worker's chunk that no one has started on. The chunks' boundaries follow the
 * workers' measured speed (update-balance.ts). No gradient slot is summed across workers
 * and none crosses between cores. Every chunk's result is the same whoever computes it and
 * wherever its boundaries fall, so the weights are the same bits for any worker count.
 * Once the first steps have made their views, a step allocates nothing: no tensors, no
 * arrays, no closures.
 */
import { performance } from 'node:perf_hooks';
import { ResidentKernels, RngStream, tf } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import type { Adam, ForwardBackwardArgs, Optimizer, UpdateArgs } from '@tessera/layers';
import { chunkNoiseName, ResidentStep, rowChunkCount } from '@tessera/layers';
import { readCopy, updatesInPlace, writeCopy } from './alternation.js';
import { meanOfChunks } from './chunk-sums.js';
import { claimNext, claimWordCount, countFinished } from './claims.js';
import { FusedAdam } from './fused-adam.js';
import { type GatherRows, ResidentEvaluation } from './resident-evaluation.js';
import type { ResidentSession } from './resident-session.js';
import {
  clock,
  RowChunkStates,
  TAKE_OVER_FACTOR,
  TAKE_OVER_MIN_MS,
  TAKE_OVER_WAIT_MS,
} from './row-chunks.js';
import { shardOffset, shardSize } from './sharding.js';
import type { Batch, Stepper, StepperContext } from './stepper.js';
import { UpdateBalance } from './update-balance.js';

export class ResidentStepper implements Stepper {
  readonly values: Float64Array;
  readonly chunked = true;
  private readonly step: ResidentStep;
  /** The resident kernels over the shared memory (the hidden-unit split uses them too). */
  readonly kernels: ResidentKernels;
  private readonly phase1: ForwardBackwardArgs;
  private readonly phase2: { examples: number; rows: number; start: number; end: number };
  private readonly dropout: boolean;
  private readonly tensorCount: number;
  /**
   * Exact-length views of the target rows, by row count (every count from 0 to maxRows,
   * made up front: a view first made in a step — the epoch's shorter last batch — would
   * allocate, and its never-run code would make V8 throw the step's compiled code away).
   */
  private readonly targets: Float32Array[];
  private readonly targetOptions: { oneHot: boolean };
  /** Adam's fused kernel, when the optimizer is a plain Adam (or AdamW). */
  private readonly adam: FusedAdam | undefined;
  /** The optimizer's arguments over each copy of the state (alternation.ts). */
  private readonly updateArgs: readonly [UpdateArgs, UpdateArgs];
  /** Gradient views (parameter-indexed) by the byte offset sliceGradient returned. */
  private readonly gradientViews = new Map<number, Float32Array>();
  private readonly maxRows: number;
  /** Where the update phase's chunks are, and how they follow the workers' speed. */
  private readonly balance: UpdateBalance;
  /** The chunk being updated (filled from `balance`). */
  private readonly range = { start: 0, end: 0 };
  /**
   * The claim words (claims.ts), in the shared memory: the row chunks' claims, their count
   * finished, each worker's update chunk's claim, then the update chunks' count finished.
   */
  private readonly claimWords: Int32Array;
  /** Each row chunk's loss and metric sums of the current step, in the shared memory. */
  private readonly chunkSums: Float64Array;
  /**
   * With several workers, who finished each row chunk (row-chunks.ts): the chunks are
   * computed in private buffers and published by whoever finishes them first.
   */
  private readonly chunkStates: RowChunkStates | undefined;
  /** This worker's running mean of a row chunk's milliseconds (when chunkStates is set). */
  private chunkMs = 0;
  /** `evaluate`, in the worker's own rows of the batch-wide buffers. */
  private readonly evaluation: ResidentEvaluation;
  /** The iteration being updated (read by `otherRange`). */
  private iteration = 1;

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
      // Another worker decoded part of the batch's rows: read them ahead in the update.
      readRowsAhead: shared.workers > 1,
      privateRows: session.privateRows,
    });
    this.maxRows = session.maxRows;
    const params = shared.layout.params;
    this.evaluation = new ResidentEvaluation(this.step, session, worker, params, this.gather);
    const targetWidth = this.step.plan.targetWidth;
    this.targets = Array.from({ length: this.maxRows + 1 }, (_, rows) =>
      this.step.targetView.subarray(0, rows * targetWidth),
    );
    this.balance = new UpdateBalance(
      shared.buffer,
      session.balance,
      shared.workers,
      session.cumulativeCosts,
      session.trainableLength,
    );
    this.claimWords = new Int32Array(shared.buffer, session.claim, claimWordCount(shared.workers));
    this.chunkSums = new Float64Array(
      shared.buffer,
      session.chunkValues,
      session.rowChunks * (1 + session.plan.metrics.length),
    );
    this.chunkStates = session.privateRows
      ? new RowChunkStates(shared.buffer, session.chunkStates, session.rowChunks)
      : undefined;
    this.values = this.step.values;
    this.phase1 = {
      examples: 0,
      rows: 0,
      at: 0,
      params,
      scale: 1,
      rng: undefined,
      private: session.privateRows,
    };
    this.phase2 = { examples: 0, rows: 0, start: 0, end: 0 };
    this.dropout = session.plan.ops.some((op) => op.kind === 'dropout');
    this.tensorCount = tf.memory().numTensors;
    this.targetOptions = { oneHot: context.init.targets === 'one-hot' };
    this.adam =
      optimizer.fusedRule === 'adam'
        ? new FusedAdam(optimizer as Adam, this.kernels, shared)
        : undefined;
    const copy = (c: number): UpdateArgs => {
      const array = (i: number) =>
        new Float32Array(shared.buffer, shared.copyOffset(c, i), shared.length);
      const params = array(0);
      const slots = Array.from({ length: shared.slotCount }, (_, s) => array(1 + s));
      return { params, grads: params, slots, iteration: 1 };
    };
    this.updateArgs = [copy(0), copy(1)];
  }

  /** See GatherRows (dense input rows into the private rows with `own`). */
  private readonly gather: GatherRows = (data, order, start, end, at, features, own = false) => {
    const rows = end - start;
    if (features) data.gatherFeatures(order, start, end, this.step.inputRows(at, rows, own));
    data.gatherTargets(order, start, end, this.targetOptions, this.targets[rows]);
  };

  /**
   * Claims row chunks of the batch until none is left, runs the gradient phase on each,
   * and stores each chunk's loss and metric sums. The worker that finishes the step's last
   * chunk adds them up in chunk order — the same sums whichever worker ran which chunk —
   * and reports them for the whole batch; the others report none.
   */
  gradients(_worker: number, iteration: number, batch: Batch): number {
    const n = batch.end - batch.start;
    // The row chunks of the batch, as its noise is keyed by them (layers' step-noise.ts).
    const count = rowChunkCount(n);
    const states = this.chunkStates;
    let last = false;
    for (
      let c = claimNext(this.claimWords, 0, batch.ticket, count);
      c >= 0;
      c = claimNext(this.claimWords, 0, batch.ticket, count)
    ) {
      states?.claimed(c, clock());
      if (this.rowChunk(c, iteration, batch, count)) last = true;
    }
    if (!last && states !== undefined) last = this.takeOver(iteration, batch, count);
    if (!last) return 0;
    meanOfChunks(this.chunkSums, count, n, this.values);
    return n;
  }

  /**
   * Runs the gradient phase on row chunk `c` and stores its loss and metric sums. With
   * several workers it computes in private rows and publishes them only if it is the first
   * to finish the chunk (row-chunks.ts). Returns whether this made the step's last chunk
   * finished.
   */
  private rowChunk(c: number, iteration: number, batch: Batch, count: number): boolean {
    const { shared, train, init } = this.context;
    const args = this.phase1;
    const n = batch.end - batch.start;
    const at = shardOffset(n, count, c);
    const rows = shardSize(n, count, c);
    const start = batch.start + at;
    const states = this.chunkStates;
    const own = states !== undefined;
    const inputAt = own ? 0 : at;
    this.gather(
      train,
      shared.permutation,
      start,
      start + rows,
      inputAt,
      !this.step.sparseInput,
      own,
    );
    args.examples = shared.layout.permutation + start * 4;
    args.params = shared.copyOffset(readCopy(batch.step, batch.steps), 0);
    args.rows = rows;
    args.at = at;
    args.scale = rows / n;
    // Chunk c's noise stream of the step, as every path draws it (layers' step-noise.ts).
    args.rng = this.dropout
      ? RngStream.fromSeed(init.seed, chunkNoiseName(iteration, c))
      : undefined;
    const t0 = own ? performance.now() : 0;
    this.step.forwardBackward(args);
    if (states !== undefined) {
      this.chunkMs += 0.25 * (performance.now() - t0 - this.chunkMs);
      if (!states.finish(c, batch.ticket)) return false;
      this.step.publish(at, rows);
    }
    const width = this.values.length;
    for (let v = 0; v < width; v++) this.chunkSums[c * width + v] = this.values[v]! * rows;
    return countFinished(this.claimWords, 1, batch.ticket) === count;
  }

  /**
   * With no row chunk left to claim but the phase not over: computes any chunk another
   * worker has held for TAKE_OVER_FACTOR times this worker's usual chunk time (it lost its
   * CPU in the middle of it), for up to TAKE_OVER_WAIT_MS; then the barrier waits as
   * usual. Returns whether this worker finished the step's last chunk.
   */
  private takeOver(iteration: number, batch: Batch, count: number): boolean {
    const states = this.chunkStates!;
    const heldMs = Math.max(TAKE_OVER_MIN_MS, TAKE_OVER_FACTOR * this.chunkMs);
    const deadline = clock() + TAKE_OVER_WAIT_MS;
    for (;;) {
      const c = states.nextHeld(this.claimWords, batch.ticket, count, heldMs, deadline);
      if (c < 0) return false;
      if (this.rowChunk(c, iteration, batch, count)) return true;
    }
  }

  beforeBarrier(worker: number, iteration: number, start: number, end: number, batch: Batch): void {
    // Other steps write the other copy of the state: the copy they read is the backup.
    if (start === end || !updatesInPlace(batch.step, batch.steps)) return;
    const { shared } = this.context;
    const k = this.kernels.raw;
    const offset = start * 4;
    const bytes = (end - start) * 4;
    k.copyBytes(shared.backupOffset(0) + offset, shared.layout.params + offset, bytes);
    for (let s = 0; s < shared.slotCount; s++) {
      k.copyBytes(shared.backupOffset(1 + s) + offset, shared.slotOffset(s) + offset, bytes);
    }
    shared.channel.backedUp(worker, iteration);
  }

  /**
   * Claims update chunks (its own first) until none is left; returns whether this worker
   * finished the step's last one. That worker moves the chunks' boundaries for the next
   * step by the times just recorded: every chunk of this step is done then, and no worker
   * reads the boundaries again before the next step's update phase.
   */
  update(
    _worker: number,
    iteration: number,
    learningRate: number | undefined,
    batch: Batch,
  ): boolean {
    const { shared } = this.context;
    const chunk = this.phase2;
    chunk.examples = shared.layout.permutation + batch.start * 4;
    chunk.rows = batch.end - batch.start;
    if (learningRate !== undefined) this.optimizer.learningRate = learningRate;
    if (this.adam !== undefined) this.adam.begin(iteration);
    this.iteration = iteration;
    const from = readCopy(batch.step, batch.steps);
    const to = writeCopy(batch.step, batch.steps);
    // Its own chunk first (timed: update-balance.ts), then each other worker's that no one
    // has started on, in worker order after it.
    const workers = this.balance.workers;
    let last = false;
    for (let h = 0; h < workers; h++) {
      const q = (this.worker + h) % workers;
      if (claimNext(this.claimWords, 2 + q, batch.ticket, 1) < 0) continue;
      const t0 = performance.now();
      this.updateChunk(q, from, to);
      if (h === 0) this.balance.record(q, performance.now() - t0);
      last = countFinished(this.claimWords, 2 + workers, batch.ticket) === workers;
    }
    if (last && workers > 1) this.balance.rebalance();
    return last;
  }

  /**
   * Computes chunk `i`'s gradient over the whole batch and applies the optimizer to it,
   * reading the weights and state in copy `from` and writing them in copy `to`.
   */
  private updateChunk(i: number, from: number, to: number): void {
    const { shared } = this.context;
    const chunk = this.phase2;
    const range = this.range;
    this.balance.chunk(i, range);
    if (range.end <= range.start) return;
    chunk.start = range.start;
    chunk.end = range.end;
    // Copy `to` was the copy every worker read a step ago, so the other cores' caches
    // still hold its lines, and each must be dropped before this core may write it. Asked
    // for here with one store a line, many lines are in flight at once; the optimizer's
    // own stores (several a line, beside the moments') wait for them a few at a time. With
    // two workers on MNIST, Adam over half the weights took 48–65 µs after 9–41 µs of
    // touching, against 73 µs without, and 350 µs for seconds at a time when the host
    // keeps the two CPUs far apart (docs/resident-step.md). The touched bytes are garbage
    // until the optimizer writes them; in place (from === to) they would be the weights
    // it reads, and one worker shares nothing.
    if (from !== to && this.balance.workers > 1) {
      this.kernels.raw.touchLines(
        shared.copyOffset(to, 0) + range.start * 4,
        (range.end - range.start) * 4,
      );
    }
    const gradient = this.step.sliceGradient(chunk);
    const n = range.end - range.start;
    if (this.adam !== undefined) {
      this.adam.range(range.start, n, gradient, from, to);
      return;
    }
    let grads = this.gradientViews.get(gradient);
    if (grads === undefined) {
      grads = new Float32Array(shared.buffer, gradient, shared.length);
      this.gradientViews.set(gradient, grads);
    }
    this.otherRange(range.start, range.end, grads, from, to);
  }

  /**
   * Any other rule over parameters [start, end) with the parameter-indexed gradient
   * `grads`: it updates in place, so the range moves to copy `to` first.
   */
  private otherRange(
    start: number,
    end: number,
    grads: Float32Array,
    from: number,
    to: number,
  ): void {
    const { shared } = this.context;
    if (from !== to) {
      const k = this.kernels.raw;
      for (let a = 0; a <= shared.slotCount; a++) {
        k.copyBytes(
          shared.copyOffset(to, a) + start * 4,
          shared.copyOffset(from, a) + start * 4,
          (end - start) * 4,
        );
      }
    }
    const args = this.updateArgs[to]!;
    args.grads = grads;
    args.iteration = this.iteration;
    args.start = start;
    args.end = end;
    this.optimizer.applyUpdate(args);
  }

  evaluate(
    split: 'train' | 'validation',
    data: Dataset,
    start: number,
    end: number,
  ): { lossSum: number; metricSums: number[]; examples: number } {
    return this.evaluation.run(split, data, start, end);
  }

  tensors(): number {
    return this.tensorCount;
  }
}
