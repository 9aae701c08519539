/**
 * Stage 8 of `fit`: the callbacks. The user's callbacks, then the built-in checkpoint, each
 * told (`setTrainer`) what it may use of the run; the epoch loop tells them the model and
 * the run's parameters when it starts.
 */
import { CallbackList, type Model } from '@tessera/layers';
import type {
  TrainerCallback,
  TrainerCallbackList,
  TrainerContext,
} from '../callbacks/callback.js';
import type { CheckpointData } from '../checkpoint.js';
import type { SharedTrainingState } from '../shared-state.js';
import type { RunCompilation } from './compile.js';

export interface CallbackSources {
  model: Model;
  compiled: RunCompilation;
  state: SharedTrainingState;
  /** Optimizer updates applied so far. */
  iteration: () => number;
  /** A checkpoint of the current state. */
  capture: () => CheckpointData;
}

export function bindCallbacks(
  callbacks: readonly TrainerCallback[],
  sources: CallbackSources,
): TrainerCallbackList {
  const { model, state } = sources;
  const list = new CallbackList<TrainerContext>(callbacks);
  const context: TrainerContext = {
    model,
    optimizer: sources.compiled.optimizer,
    get iteration() {
      return sources.iteration();
    },
    snapshotWeights: () => state.store.snapshot(),
    restoreWeights: (values) => state.store.restore(values),
    capture: sources.capture,
  };
  list.setTrainer(context);
  return list;
}
