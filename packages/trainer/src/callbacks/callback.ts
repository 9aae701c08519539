/**
 * The callback shape `fit` calls: the one @tessera/layers' epoch loop calls in both fits.
 * It is the Keras one (epoch and batch hooks with logs, `model.stopTraining` to stop),
 * plus `setTrainer` (access to the run: here with checkpoints), `beforeUpdate` (veto an
 * update before any weight changes), `nextStop`, `onNonFiniteLoss` and `onInterrupt` (an
 * abort is stopping the run: save what must be saved). Every `Callback` from
 * @tessera/layers fits it, and so does a plain object with these methods.
 */
import type { CallbackList, FitParams, Model, RunContext } from '@tessera/layers';
import type { CheckpointData } from '../checkpoint.js';

export type Logs = Record<string, number>;

/** What a callback may use of the run in progress: model.fit's RunContext, plus checkpoints. */
export interface TrainerContext extends RunContext {
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
   * several steps on their own between visits of the main thread, and the batch hooks of
   * a run's steps are called after it (`onBatchBegin` of its first step before it); a run
   * ends at every iteration a callback names here, so that its hook sees the state of
   * exactly that step.
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
