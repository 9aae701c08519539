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
   * The gradient phase for the examples permutation[start, end), a shard of the batch
   * permutation[batch.start, batch.end), scaled by its share of the batch: the tfjs path
   * writes the shard's gradient into gradient slot `worker`; the resident step writes the
   * shard's activations and deltas into its batch-wide buffers.
   */
  gradients(worker: number, iteration: number, batch: Batch, start: number, end: number): void;
  /**
   * The update phase of parameters [start, end): their gradient (the tfjs path sums the
   * first `batch.shards` gradient slots in fixed worker order; the resident step computes
   * it over the whole batch), a backup of the slice (then recorded in the channel), and
   * the optimizer's update, state included.
   */
  update(
    worker: number,
    iteration: number,
    learningRate: number | undefined,
    batch: Batch,
    start: number,
    end: number,
  ): void;
  /** Loss and metric sums over examples [start, end) of a split (inference mode). */
  evaluate(
    data: Dataset,
    start: number,
    end: number,
  ): { lossSum: number; metricSums: number[]; examples: number };
  /** Tensors alive in this thread (reported with each step's results). */
  tensors(): number;
}

/** The step's batch: permutation[start, end), cut into `shards` shards. (Reused: no allocation.) */
export interface Batch {
  start: number;
  end: number;
  shards: number;
}

/** What every stepper of a thread shares. */
export interface StepperContext {
  init: SessionInit;
  shared: SharedTrainingState;
  train: Dataset;
}
