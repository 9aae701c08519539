/**
 * Keras-style callbacks: hooks `fit` (and the data-parallel trainer) call at the start
 * and end of training, of each epoch and of each batch. Hooks may be async; they are
 * awaited in order. Set `this.model.stopTraining = true` to end training after the
 * current batch.
 *
 * ```ts
 * class PrintLoss extends Callback {
 *   override onEpochEnd(epoch: number, logs: Logs) { console.log(epoch, logs['loss']); }
 * }
 * ```
 */
import type { Model } from '../engine/model.js';

/** Values logged by fit: 'loss', 'accuracy', 'val_loss', … (and 'batch', 'size' per batch). */
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
