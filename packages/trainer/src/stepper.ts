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
   * Gradient of the examples permutation[start, end), a shard of a batch of `batch`
   * examples, scaled by its share of the batch, into gradient slot `worker`.
   */
  gradients(worker: number, iteration: number, start: number, end: number, batch: number): void;
  /**
   * Sums the first `shards` gradient slots over [start, end) in fixed worker order, backs
   * the slice up (then records it in the channel), applies the optimizer to it.
   */
  update(
    worker: number,
    iteration: number,
    learningRate: number | undefined,
    start: number,
    end: number,
    shards: number,
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

/** What every stepper of a thread shares. */
export interface StepperContext {
  init: SessionInit;
  shared: SharedTrainingState;
  train: Dataset;
}
