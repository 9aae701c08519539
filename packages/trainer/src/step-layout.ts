/**
 * The layout of the step protocol's control buffer (step-channel.ts): the int32 words, the
 * commands, and each worker's block of float64 results per step of a run.
 */

/** Indices of the int32 words. */
export const Word = {
  /** Sequence number of the last command the main thread posted. */
  SEQ: 0,
  /** What that command asks: {@link Command}. */
  COMMAND: 1,
  /** 1-based optimizer iteration of the run's first step. */
  ITERATION: 2,
  /** First example (position in the permutation) of the run's first batch. */
  START: 3,
  /** Examples per batch. */
  BATCH: 4,
  /** Examples in the epoch: a batch ends at TOTAL at the latest. */
  TOTAL: 5,
  /** Steps in the run. */
  STEPS: 6,
  /** Gradient phases finished in this run, over all workers and steps. */
  GRAD_DONE: 7,
  /** Update phases finished in this run, over all workers and steps. */
  UPDATE_DONE: 8,
  /** The seq of the last run the workers completed. */
  RUN_DONE: 9,
  /** With a veto: seq lets the update go ahead, -seq skips it. */
  GO: 10,
  /** Nonzero: every worker leaves its loop now. */
  ABORT: 11,
  /** Threads that finished building their session (the start-up barrier). */
  READY: 12,
  /** Workers that found the current step's loss not finite (with the loss guard). */
  STOPS: 13,
  /** The iteration the loss guard stopped at. */
  STOP_ITERATION: 14,
  /**
   * Steps of this run whose every row chunk is finished (steppers that share a step's work
   * in chunks: see "A worker left behind" in step-channel.ts).
   */
  GRAD_COMPLETE: 15,
  /** Steps of this run whose every update chunk is finished. */
  UPDATE_COMPLETE: 16,
  /** First per-worker word; worker i owns PER_WORKER + i·3 + {0, 1, 2}. */
  PER_WORKER: 17,
} as const;

/** Offsets of a worker's own words from `Word.PER_WORKER + i·3`. */
export const BACKUP_STEP = 0;
export const GRAD_STEP = 1;
export const UPDATE_STEP = 2;

/** Commands in `Word.COMMAND`. */
export const Command = { RUN: 1, STOP: 2, REHEARSE: 3 } as const;

/**
 * Longest run the results area holds; at most 256, since a step's claim ticket keeps the
 * step's index in the run in 8 bits (worker.ts).
 */
export const MAX_RUN = 256;

/** Slots of a worker's block of float64 results for one step, then its metric values. */
export const Result = {
  LOSS: 0,
  EXAMPLES: 1,
  /** Milliseconds spent on gather + forward + backward. */
  GRAD_MS: 2,
  /** Milliseconds waiting for the other workers (after its gradients, before the next step). */
  WAIT_MS: 3,
  /** Milliseconds spent on reduce + backup + optimizer update. */
  UPDATE_MS: 4,
  /** Tensors alive in the worker's thread after its gradient phase. */
  TENSORS: 5,
  /** First metric value. */
  METRICS: 6,
} as const;

/** A posted run, as the workers read it. */
export interface RunOrder {
  seq: number;
  iteration: number;
  start: number;
  batchSize: number;
  total: number;
  steps: number;
  /** The optimizer's learning rate when it is a plain number, else undefined (a schedule). */
  learningRate: number | undefined;
  /** A rehearsal (rehearsal.ts): every step reads copy 0 of the state and writes copy 1. */
  rehearsal?: boolean;
}

/** A worker's results of one step. */
export interface WorkerResult {
  loss: number;
  examples: number;
  gradMs: number;
  waitMs: number;
  updateMs: number;
  tensors: number;
  metrics: number[];
}

/** Words, their bytes (rounded up to float64s), the floats of a step's block, and all numbers. */
export function layout(workers: number, metrics: number) {
  const words = Word.PER_WORKER + workers * 3;
  const wordBytes = Math.ceil((words * 4) / 8) * 8;
  const block = Result.METRICS + metrics;
  return { words, wordBytes, block, numbers: 1 + MAX_RUN * workers * block };
}

/** Bytes of the control buffer for `workers` workers reporting `metrics` metric values. */
export function channelBytes(workers: number, metrics: number): number {
  const l = layout(workers, metrics);
  return l.wordBytes + l.numbers * 8;
}
