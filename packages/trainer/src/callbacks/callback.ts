/**
 * The callback shape `fit` calls. It is the Keras one (epoch and batch hooks with logs,
 * `model.stopTraining` to stop), plus hooks only a data-parallel trainer has: `setTrainer`
 * (access to the shared state), `beforeUpdate` (veto an update before any weight changes)
 * and `onInterrupt` (an abort is stopping the run: save what must be saved). Every
 * `Callback` from @tessera/layers fits it, and so does a plain object with these methods.
 */
import type { CallbackList, FitParams, Model, Optimizer } from '@tessera/layers';
import type { CheckpointData } from '../checkpoint.js';

export type Logs = Record<string, number>;

/** What a callback may use of the run in progress. */
export interface TrainerContext {
  readonly model: Model;
  readonly optimizer: Optimizer;
  /** Optimizer updates applied so far. */
  readonly iteration: number;
  /** A copy of every weight, by name. */
  snapshotWeights(): Record<string, Float32Array>;
  /** Writes weights back into the shared store (every worker sees them at its next step). */
  restoreWeights(values: Record<string, Float32Array>): void;
  /** Everything a checkpoint holds, as of now. */
  capture(): CheckpointData;
}

export interface TrainerCallback {
  setModel?(model: Model): void;
  setParams?(params: FitParams): void;
  setTrainer?(context: TrainerContext): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  /** Called after the gradients of a step, before the update; false skips the update and stops training. */
  beforeUpdate?(iteration: number, logs: Logs): boolean;
  /** An AbortSignal is stopping the run between two steps. */
  onInterrupt?(): void | Promise<void>;
  /**
   * The next optimizer iteration after `iteration` at which this callback reads the run's
   * state (weights, optimizer) in `onBatchEnd`, or undefined for none. The workers run
   * several steps on their own between visits of the main thread, and batch hooks are
   * called after each such run; a run ends at every iteration a callback names here, so
   * that its hook sees the state of exactly that step.
   */
  nextStop?(iteration: number): number | undefined;
  /**
   * Present: the workers themselves skip the update of a step whose loss is not finite and
   * end training there (no step waits for the main thread, as `beforeUpdate` makes it);
   * this is then called with that step's iteration and logs. The weights stay those after
   * the step before.
   */
  onNonFiniteLoss?(iteration: number, logs: Logs): void;
}

/** The trainer's callback list: @tessera/layers' one list, whose `setTrainer` hands out a TrainerContext. */
export type TrainerCallbackList = CallbackList<TrainerContext>;
