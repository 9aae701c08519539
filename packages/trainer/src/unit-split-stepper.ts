/**
 * The resident path split by hidden units (layers' unit-split-step.ts). The hidden units
 * are cut into blocks; each worker owns a range of them — their weights, optimizer state
 * and gradients — and in both phases computes each of its blocks over the whole batch, so
 * the first layer's kernel does not cross between cores. A worker takes its own blocks
 * first, one at a time, then any block of another worker's range that no one has claimed
 * (that worker is late: descheduled, or slowed by another program). Once every block's
 * forward pass is done, any worker finishes chunks of the batch's rows (FINISH_CHUNKS): the
 * output layer added up, the loss and the output's delta for the update phase. Every
 * block's result is the same bits whoever computes it, so the weights are the same for
 * any worker count. Evaluation, the backups of a step that updates in place and the
 * tensor count are the row-split stepper's (resident-stepper.ts), which this one holds.
 * Allocates nothing per step.
 */
import { performance } from 'node:perf_hooks';
import type { Adam, Optimizer } from '@tessera/layers';
import { UNIT_BLOCK, UnitSplitStep, unitRange } from '@tessera/layers';
import { readCopy, writeCopy } from './alternation.js';
import { meanOfChunks } from './chunk-sums.js';
import {
  claimNext,
  claimWordCount,
  countFinished,
  finishCountWord,
  finishedSoFar,
  rangeClaimWord,
} from './claims.js';
import { FusedAdam } from './fused-adam.js';
import type { ResidentSession } from './resident-session.js';
import { ResidentStepper } from './resident-stepper.js';
import { shardOffset, shardSize } from './sharding.js';
import type { Batch, Stepper, StepperContext } from './stepper.js';

/**
 * Chunks of the batch's rows whose loss and output delta are computed once every block's
 * forward pass is done (the same for any worker count: the loss is their sum in order).
 */
export const FINISH_CHUNKS = 4;

/**
 * How long a worker that has no block left waits for the others' blocks, to take a chunk
 * of rows to finish, before it leaves them to the worker that finishes the last block: a
 * block takes tens of microseconds; a worker that another program holds up takes longer.
 */
export const FINISH_WAIT_MS = 0.25;

export class UnitSplitStepper implements Stepper {
  readonly values: Float64Array;
  readonly chunked = true;
  private readonly rows: ResidentStepper;
  private readonly step: UnitSplitStep;
  private readonly adam: FusedAdam;
  private readonly claimWords: Int32Array;
  private readonly workers: number;
  /** The first block of worker q's range (q = 0 … workers; the last is the block count). */
  private readonly home: Int32Array;
  private readonly targetOptions: { oneHot: boolean };
  /** Whether this worker decoded the current step's rows (reset by each `gradients`). */
  private decoded = false;
  /** Each chunk's loss and metric sums of the current step, in the shared memory. */
  private readonly chunkSums: Float64Array;

  constructor(
    private readonly context: StepperContext,
    session: ResidentSession,
    private readonly worker: number,
    private readonly optimizer: Optimizer,
  ) {
    const split = session.split;
    if (split === undefined) {
      throw new Error(
        'UnitSplitStepper: expected a session split by hidden units. Received: split=undefined',
      );
    }
    if (session.rowChunks < FINISH_CHUNKS) {
      throw new Error(
        `UnitSplitStepper: the chunk sums hold ${session.rowChunks} chunks, fewer than the ${FINISH_CHUNKS} finished. Received: rowChunks=${session.rowChunks}`,
      );
    }
    if (optimizer.fusedRule !== 'adam') {
      throw new Error(
        `UnitSplitStepper: the hidden-unit split needs Adam or AdamW. Received: ${optimizer.constructor.name}`,
      );
    }
    const { input } = session;
    if (input.kind !== 'sparse') {
      throw new Error(
        `UnitSplitStepper: the hidden-unit split reads compressed input rows. Received: input.kind=${input.kind}`,
      );
    }
    const { shared } = context;
    this.rows = new ResidentStepper(context, session, worker, optimizer);
    this.step = new UnitSplitStep(session.plan, {
      kernels: this.rows.kernels,
      shape: split.shape,
      shared: session.shared,
      sharedRows: session.sharedRows,
      partials: split.partials,
      scratch: split.scratch[worker]!,
      offsetOf: (name) => shared.store.entry(name).offset,
      input,
    });
    this.values = this.step.values;
    this.adam = new FusedAdam(optimizer as Adam, this.rows.kernels, shared);
    this.workers = shared.workers;
    this.claimWords = new Int32Array(shared.buffer, session.claim, claimWordCount(this.workers));
    this.home = new Int32Array(this.workers + 1);
    for (let q = 0; q < this.workers; q++)
      this.home[q] = unitRange(split.shape, q, this.workers).first;
    this.home[this.workers] = split.shape.blocks;
    this.targetOptions = { oneHot: context.init.targets === 'one-hot' };
    this.chunkSums = new Float64Array(
      shared.buffer,
      session.chunkValues,
      session.rowChunks * (1 + session.plan.metrics.length),
    );
  }

  /**
   * The next block this worker takes in a phase (claim words `word(q)` of each worker's
   * range): its own range's next, else the next unclaimed one of the ranges after it; -1
   * when every block is taken.
   */
  private nextBlock(phase: 0 | 1, ticket: number): number {
    const workers = this.workers;
    for (let h = 0; h < workers; h++) {
      const q = (this.worker + h) % workers;
      const word = phase === 0 ? rangeClaimWord(q, workers) : 2 + q;
      const count = this.home[q + 1]! - this.home[q]!;
      const i = claimNext(this.claimWords, word, ticket, count);
      if (i >= 0) return this.home[q]! + i;
    }
    return -1;
  }

  /** Decodes the batch's rows once a step, before this worker's first block. */
  private decodeFor(batch: Batch): void {
    if (this.decoded) return;
    const { shared } = this.context;
    const examples = shared.layout.permutation + batch.start * 4;
    this.step.decode(examples, batch.end - batch.start);
    this.decoded = true;
  }

  /**
   * Takes blocks (its own first) and runs the forward pass of each over the whole batch;
   * once every block is done, takes chunks of rows to finish (the loss and the output's
   * delta). The worker that finishes the last chunk adds up their loss and metric sums in
   * chunk order and reports the batch; the others report none.
   */
  gradients(_worker: number, _iteration: number, batch: Batch): number {
    const { shared } = this.context;
    this.decoded = false;
    const n = batch.end - batch.start;
    const params = shared.copyOffset(readCopy(batch.step, batch.steps), 0);
    const blocks = this.home[this.workers]!;
    let lastBlock = false;
    for (let b = this.nextBlock(0, batch.ticket); b >= 0; b = this.nextBlock(0, batch.ticket)) {
      this.decodeFor(batch);
      this.step.forwardBlock(n, params, b);
      lastBlock = countFinished(this.claimWords, 1, batch.ticket) === blocks;
    }
    if (!lastBlock && !this.blocksDone(batch.ticket, blocks)) return 0;
    return this.finish(batch, n);
  }

  /**
   * Waits up to FINISH_WAIT_MS for every block of the step `ticket` to be done; returns
   * whether they are.
   */
  private blocksDone(ticket: number, blocks: number): boolean {
    const deadline = performance.now() + FINISH_WAIT_MS;
    for (;;) {
      const done = finishedSoFar(this.claimWords, 1, ticket);
      if (done === blocks) return true;
      // A later step's word: this one is over.
      if (done > blocks || performance.now() > deadline) return false;
    }
  }

  /** Takes chunks of rows to finish; see `gradients`. */
  private finish(batch: Batch, n: number): number {
    const { shared, train } = this.context;
    const count = Math.min(n, FINISH_CHUNKS);
    const sums = this.chunkSums;
    const values = this.values;
    const width = values.length;
    const word = finishCountWord(this.workers);
    let last = false;
    for (
      let c = claimNext(this.claimWords, 0, batch.ticket, count);
      c >= 0;
      c = claimNext(this.claimWords, 0, batch.ticket, count)
    ) {
      const at = shardOffset(n, count, c);
      const rows = shardSize(n, count, c);
      const start = batch.start + at;
      const targets = this.step.targetRows(at, rows);
      train.gatherTargets(shared.permutation, start, start + rows, this.targetOptions, targets);
      this.step.finishRows(at, rows, n);
      for (let v = 0; v < width; v++) sums[c * width + v] = values[v]! * rows;
      last = countFinished(this.claimWords, word, batch.ticket) === count;
    }
    if (!last) return 0;
    meanOfChunks(sums, count, n, values);
    return n;
  }

  beforeBarrier(worker: number, iteration: number, start: number, end: number, batch: Batch): void {
    this.rows.beforeBarrier(worker, iteration, start, end, batch);
  }

  /**
   * Takes blocks (its own first), computes each one's gradients over the whole batch and
   * applies Adam to them, from one copy of the state to the other. Returns whether this
   * worker finished the step's last block.
   */
  update(
    _worker: number,
    iteration: number,
    learningRate: number | undefined,
    batch: Batch,
  ): boolean {
    const { shared } = this.context;
    if (learningRate !== undefined) this.optimizer.learningRate = learningRate;
    this.adam.begin(iteration);
    const from = readCopy(batch.step, batch.steps);
    const to = writeCopy(batch.step, batch.steps);
    const n = batch.end - batch.start;
    const params = shared.copyOffset(from, 0);
    const blocks = this.home[this.workers]!;
    let last = false;
    for (let b = this.nextBlock(1, batch.ticket); b >= 0; b = this.nextBlock(1, batch.ticket)) {
      this.decodeFor(batch);
      this.updateBlock(n, params, b, from, to);
      last = countFinished(this.claimWords, 2 + this.workers, batch.ticket) === blocks;
    }
    return last;
  }

  /** Block b: its gradients, then Adam over its weights. */
  private updateBlock(n: number, params: number, b: number, from: number, to: number): void {
    const step = this.step;
    step.backwardBlock(n, params, b);
    const s = step.scratch;
    const o = step.offsets;
    const { features, outputs } = step.shape;
    const c0 = b * UNIT_BLOCK;
    const adam = this.adam;
    // The hidden kernel is block-major during a run (unit-split-layout.ts).
    adam.at(o.kernel + features * c0, features * UNIT_BLOCK, s.kernel, from, to);
    if (o.bias >= 0) adam.at(o.bias + c0, UNIT_BLOCK, s.bias, from, to);
    adam.at(o.outKernel + c0 * outputs, UNIT_BLOCK * outputs, s.outKernel, from, to);
    if (b === 0 && o.outBias >= 0) adam.at(o.outBias, outputs, s.outBias, from, to);
  }

  evaluate(
    split: 'train' | 'validation',
    data: Parameters<Stepper['evaluate']>[1],
    start: number,
    end: number,
  ): { lossSum: number; metricSums: number[]; examples: number } {
    return this.rows.evaluate(split, data, start, end);
  }

  tensors(): number {
    return this.rows.tensors();
  }
}
