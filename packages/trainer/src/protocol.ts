/**
 * Messages between the main thread and the workers: one loop task per thread for a run
 * of steps (the steps themselves go through the step channel's shared words), plus
 * start-up and evaluation tasks. Weights, gradients, optimizer state and data stay in
 * shared memory.
 */
import type { DatasetDescription } from '@tessera/datasets';
import type { CollectiveDescription } from './collective.js';
import type { SharedSampleWeights } from './fit/sample-weight.js';
import type { ResidentSession } from './resident-session.js';
import type { SharedStateDescription } from './shared-state.js';

/** How a worker turns dataset targets into the tensor the loss expects. */
export type TargetEncoding = 'one-hot' | 'sparse' | 'binary' | 'regression';

/** Sent once per worker thread (with its ReadyTask). */
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
  /** The workers' exchange inside a step (collective.ts). */
  collective: CollectiveDescription;
  /** The planned resident step, when the run trains on it (else the tfjs path). */
  resident?: ResidentSession;
  /** Weight per class id: scales each training row's loss (tfjs path only). */
  classWeight?: Record<number, number>;
  /** Weight per training (and split-off validation) example, shared (tfjs path only). */
  sampleWeight?: SharedSampleWeights;
}

/**
 * One thread's step loop for as long as the main thread keeps posting steps through the
 * step channel (step-channel.ts): gradients of shard `worker`, then reduce + update of
 * `slice`, per step. Ends on STOP or ABORT.
 */
export interface LoopTask {
  kind: 'loop';
  /** The shard, gradient slot and parameter slice this thread serves. */
  worker: number;
  /** The slice of the parameter vector this worker reduces and updates. */
  slice: { start: number; end: number };
  /** The channel's sequence number when the loop started: its first step comes after it. */
  fromSeq: number;
  /** Wait for the main thread's GO before each update (a callback may veto it). */
  veto: boolean;
  /** Skip the update of a step whose loss is not finite, and end the run there. */
  guardLoss: boolean;
}

/** Loss and metric sums over validation (or training) examples [start, end), in order. */
export interface EvaluateTask {
  kind: 'evaluate';
  /** Whose scratch the evaluation uses (one task per worker index at a time). */
  worker: number;
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
  /** What the thread builds its session from. */
  init: SessionInit;
  /** How long to wait for the other threads before failing. */
  timeoutMs: number;
}

export type Task = LoopTask | EvaluateTask | ReadyTask;

/** What a loop task returns when it ends. */
export interface LoopResult {
  /** Steps whose update this worker applied. */
  steps: number;
}

export interface EvaluateResult {
  lossSum: number;
  metricSums: number[];
  examples: number;
}
