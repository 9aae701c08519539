/**
 * What a worker loop asks of its thread's training step, whichever path computes it: the
 * tfjs autodiff path (tfjs-stepper.ts) or the resident step (resident-stepper.ts). The
 * loop (worker.ts) owns the protocol; a stepper owns the arithmetic and the memory it
 * touches: gradient slot `worker` in the gradient phase, and in the update phase the
 * slice it is given (backed up first, then updated, optimizer state included).
 */
import type { Dataset } from '@tessera/datasets';
import type { SessionInit } from './protocol.js';
import type { SharedTrainingState } from './shared-state.js';

export interface Stepper {
  /** Loss, then each metric, of the last `gradients` call. */
  readonly values: Float64Array;
  /**
   * Whether the stepper shares each phase out in chunks that any worker may take (the
   * resident step): then `gradients` reports the batch (returns its examples) only in the
   * worker that finished the step's last row chunk, `update` returns true only in the one
   * that finished its last update chunk, and a late worker need not hold up the others
   * (step-channel.ts, "A worker left behind").
   */
  readonly chunked: boolean;
  /**
   * The gradient phase of the batch permutation[batch.start, batch.end). The tfjs path
   * takes worker `worker`'s shard (`shardOffset`/`shardSize` of the workers) and writes its
   * scaled gradient into gradient slot `worker`; the resident step claims chunks of the
   * batch's rows one at a time and writes their activations and deltas into its batch-wide
   * buffers. Returns how many examples `values` reports (0: none, the values are ignored).
   */
  gradients(worker: number, iteration: number, batch: Batch): number;
  /**
   * Before the gradient barrier, whether or not this worker had a shard: before a step
   * that updates in place (alternation.ts) the resident step backs up the worker's slice
   * [start, end) of the parameters and optimizer state here (and records it in the
   * channel), because in its update phase any worker may update any part of the vector;
   * its other steps write the other copy of the state and need no backup. The tfjs path
   * backs up in `update`.
   */
  beforeBarrier(worker: number, iteration: number, start: number, end: number, batch: Batch): void;
  /**
   * The update phase: the tfjs path sums the first `batch.shards` gradient slots over its
   * slice [start, end) in fixed worker order, backs the slice up (then records it in the
   * channel) and applies the optimizer there; the resident step claims chunks of the
   * parameter vector one at a time until none is left (a late worker leaves more to the
   * others), computes each chunk's gradient over the whole batch and applies the optimizer
   * to it, state included. Returns whether this worker finished the step's last chunk
   * (always false when not `chunked`).
   */
  update(
    worker: number,
    iteration: number,
    learningRate: number | undefined,
    batch: Batch,
    start: number,
    end: number,
  ): boolean;
  /**
   * Loss and metric sums over examples [start, end) of a split, `data` (inference mode);
   * `sampleWeight` (by example index, tfjs path only) weighs the loss.
   */
  evaluate(
    split: 'train' | 'validation',
    data: Dataset,
    start: number,
    end: number,
    sampleWeight?: Float32Array,
  ): { lossSum: number; metricSums: number[]; examples: number };
  /** Tensors alive in this thread (reported with each step's results). */
  tensors(): number;
}

/** The step's batch: permutation[start, end), cut into `shards` shards. (Reused: no allocation.) */
export interface Batch {
  start: number;
  end: number;
  shards: number;
  /** Distinct for consecutive steps, also across runs (tags the update phase's chunk claims). */
  ticket: number;
  /** This step's place in its run, and the run's step count (which copy of the state it uses: alternation.ts). */
  step: number;
  steps: number;
}

/** What every stepper of a thread shares. */
export interface StepperContext {
  init: SessionInit;
  shared: SharedTrainingState;
  train: Dataset;
}
