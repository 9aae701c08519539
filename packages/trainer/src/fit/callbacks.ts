/**
 * Stage 8 of `fit`: the callbacks. The user's callbacks, then the built-in checkpoint, each
 * told the model, the run's parameters and (`setTrainer`) what it may use of the run.
 */
import { CallbackList, type Model } from '@tessera/layers';
import type {
  TrainerCallback,
  TrainerCallbackList,
  TrainerContext,
} from '../callbacks/callback.js';
import type { CheckpointData } from '../checkpoint.js';
import type { ResolvedFitOptions } from '../options.js';
import type { SharedTrainingState } from '../shared-state.js';
import type { RunCompilation } from './compile.js';

export interface CallbackSources {
  model: Model;
  compiled: RunCompilation;
  state: SharedTrainingState;
  opts: ResolvedFitOptions;
  /** Training examples per epoch. */
  samples: number;
  /** Optimizer updates applied so far. */
  iteration: () => number;
  /** A checkpoint of the current state. */
  capture: () => CheckpointData;
}

export function bindCallbacks(
  callbacks: readonly TrainerCallback[],
  sources: CallbackSources,
): TrainerCallbackList {
  const { model, state, opts } = sources;
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
  list.setModel(model);
  list.setParams({
    epochs: opts.epochs,
    steps: Math.ceil(sources.samples / opts.batchSize),
    samples: sources.samples,
    verbose: opts.verbose,
  });
  list.setTrainer(context);
  return list;
}
