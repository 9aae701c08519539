/**
 * The callback shape `fit` calls: the one @tessera/layers' epoch loop calls in both fits.
 * It is the Keras one (epoch and batch hooks with logs, `model.stopTraining` to stop),
 * plus `setTrainer` (access to the run: here with checkpoints), `beforeUpdate` (veto an
 * update before any weight changes), `nextStop`, `onNonFiniteLoss` and `onInterrupt` (an
 * abort is stopping the run: save what must be saved). Every `Callback` from
 * @tessera/layers fits it, and so does a plain object with these methods.
 */
import type { CallbackHooks, CallbackList, RunContext, TrainerHooks } from '@tessera/layers';
import type { CheckpointData } from '../checkpoint.js';

export type Logs = Record<string, number>;

/** What a callback may use of the run in progress: model.fit's RunContext, plus checkpoints. */
export interface TrainerContext extends RunContext {
  /** Everything a checkpoint holds, as of now. */
  capture(): CheckpointData;
}

/**
 * A callback of `fit`: any subset of the hooks @tessera/layers' epoch loop calls (the Keras
 * ones and `setModel`, `setParams`, `setTrainer`, `beforeUpdate`, `onInterrupt`, `nextStop`,
 * `onNonFiniteLoss`; see plain-callback.ts there), with `setTrainer` receiving a TrainerContext.
 */
export type TrainerCallback = CallbackHooks & TrainerHooks<TrainerContext>;

/** The trainer's callback list: @tessera/layers' one list, whose `setTrainer` hands out a TrainerContext. */
export type TrainerCallbackList = CallbackList<TrainerContext>;
