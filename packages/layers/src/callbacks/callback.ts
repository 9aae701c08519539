/**
 * Keras-style callbacks: hooks `fit` (and the data-parallel trainer) call at the start
 * and end of training, of each epoch and of each batch. Hooks may be async; they are
 * awaited in order. Set `this.model.stopTraining = true` to end training after the
 * current batch (the current run of steps in the data-parallel trainer); that epoch still
 * ends, with the logs of its batches, as in Keras.
 *
 * ```ts
 * class PrintLoss extends Callback {
 *   override onEpochEnd(epoch: number, logs: Logs) { console.log(epoch, logs['loss']); }
 * }
 * ```
 */
import type { Model } from '../engine/model.js';
import type { Optimizer } from '../optimizers/index.js';

/**
 * Values logged by fit: 'loss', 'accuracy', 'val_loss', … per epoch; per batch, the
 * batch's 'loss' and metrics (as Keras, no 'batch' or 'size': the batch index is the hook's
 * argument).
 */
export type Logs = Record<string, number>;

/** What a callback learns about the run before it starts. */
export interface FitParams {
  /** Last epoch (exclusive), as given to fit. */
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  /** Training examples per epoch. */
  samples: number;
  /** Verbosity given to fit. */
  verbose: number;
}

/**
 * What a callback may use of the run in progress, handed to its `setTrainer` hook by both
 * fits (the data-parallel trainer's context adds `capture`, a checkpoint of the run).
 */
export interface RunContext {
  readonly model: Model;
  readonly optimizer: Optimizer;
  /** Optimizer updates applied so far. */
  readonly iteration: number;
  /** A copy of every weight, by name. */
  snapshotWeights(): Record<string, Float32Array>;
  /** Writes weights back (the next step reads them). */
  restoreWeights(values: Record<string, Float32Array>): void;
}

/** Base class of every callback; override the hooks you need. */
export abstract class Callback {
  /** The model being trained (set before `onTrainBegin`). */
  model: Model | undefined;
  /** The run's parameters (set before `onTrainBegin`). */
  params: FitParams | undefined;

  setModel(model: Model): void {
    this.model = model;
  }

  setParams(params: FitParams): void {
    this.params = params;
  }

  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}
