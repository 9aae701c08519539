/**
 * The weight recorder of the trainer's tests: a callback that copies every weight after
 * each step (asking every run of steps to end there, so it sees each step's state) or
 * after each epoch.
 */
import type { TrainerCallback, TrainerContext } from '../callbacks/callback.js';

export interface WeightRecorder extends TrainerCallback {
  /** One copy of every weight, by name, per step or epoch, in order. */
  readonly snapshots: Record<string, Float32Array>[];
}

export function weightRecorder(every: 'step' | 'epoch'): WeightRecorder {
  let context: TrainerContext | undefined;
  const snapshots: Record<string, Float32Array>[] = [];
  const record = (): void => {
    if (context === undefined) throw new Error('weightRecorder: setTrainer was never called');
    snapshots.push(context.snapshotWeights());
  };
  const base = {
    snapshots,
    setTrainer(c: TrainerContext) {
      context = c;
    },
  };
  return every === 'step'
    ? { ...base, nextStop: (iteration: number) => iteration + 1, onBatchEnd: record }
    : { ...base, onEpochEnd: record };
}
