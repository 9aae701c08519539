/**
 * Messages between the main thread and the workers. Per step only these small objects
 * travel; weights, gradients, optimizer state and data stay in shared memory.
 */
import type { DatasetDescription } from '@tessera/datasets';
import type { SharedStateDescription } from './shared-state.js';

/** How a worker turns dataset targets into the tensor the loss expects. */
export type TargetEncoding = 'one-hot' | 'sparse' | 'binary' | 'regression';

/** Sent once per worker thread (as Piscina's workerData). */
export interface SessionInit {
  shared: SharedStateDescription;
  /** The model's `toJSON()`; each worker rebuilds its own copy once. */
  model: unknown;
  train: DatasetDescription;
  validation: DatasetDescription | undefined;
  loss: unknown;
  metrics: unknown[];
  optimizer: unknown;
  targets: TargetEncoding;
  seed: number;
  /** Module URLs every worker imports before building the model (custom activations, lambdas). */
  customObjects: string[];
}

/** Forward + backward for examples permutation[start, end) into gradient slot `shard`. */
export interface GradientTask {
  kind: 'gradients';
  iteration: number;
  shard: number;
  start: number;
  end: number;
  /** Examples in the whole global batch: the shard's gradient is scaled by (end - start) / batchSize. */
  batchSize: number;
}

/** Sum the first `shards` gradient slots over [start, end) and apply the optimizer there. */
export interface UpdateTask {
  kind: 'update';
  iteration: number;
  slice: number;
  start: number;
  end: number;
  shards: number;
  /** The current learning rate when it is a plain number (callbacks may have changed it). */
  learningRate: number | undefined;
}

/** Loss and metric sums over validation (or training) examples [start, end), in order. */
export interface EvaluateTask {
  kind: 'evaluate';
  split: 'train' | 'validation';
  start: number;
  end: number;
}

/**
 * Start-up barrier: each thread builds its session, then waits until `workers` threads
 * have. N of these sent at once therefore land on N different threads, so every thread is
 * ready (and no step's timeout pays for start-up) before the first step.
 */
export interface ReadyTask {
  kind: 'ready';
  workers: number;
  /** How long to wait for the other threads before failing. */
  timeoutMs: number;
}

export type Task = GradientTask | UpdateTask | EvaluateTask | ReadyTask;

export interface GradientResult {
  shard: number;
  loss: number;
  metrics: number[];
  examples: number;
  /** Milliseconds the worker spent computing (gather + forward + backward). */
  busyMs: number;
  /** Tensors alive in the worker thread after the step (a leak shows as growth). */
  tensors: number;
}

export interface UpdateResult {
  slice: number;
  busyMs: number;
}

export interface EvaluateResult {
  lossSum: number;
  metricSums: number[];
  examples: number;
}
