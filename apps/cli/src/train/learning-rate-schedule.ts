/**
 * `--lr-schedule`: how the learning rate moves over a `train` run. `cosine` starts at the
 * optimizer's learning rate and ends at 0 after the run's last step, along half a cosine
 * (Keras's `CosineDecay` with `alpha: 0`, over every step of every epoch the run was
 * started with). The schedule is part of the optimizer, so checkpoints keep it and a
 * resumed run goes on along it; trained past the steps it spans, the rate stays 0.
 */
import { ValueError } from '@tessera/core';
import { type Optimizer, optimizers } from '@tessera/layers';
import { type CheckpointData, validationSplitSizes } from '@tessera/trainer';
import type { LearningRateScheduleName } from '../models/builtin-model.js';

/** Optimizer steps of a fresh run: every batch of every epoch, the last one short. */
export function runSteps(args: {
  examples: number;
  validationSplit: number;
  batchSize: number;
  epochs: number;
}): number {
  const train = validationSplitSizes(args.examples, args.validationSplit).train;
  return args.epochs * Math.ceil(train / args.batchSize);
}

/**
 * Gives `optimizer` the schedule `name` over a run of `steps` steps (a `constant` schedule
 * leaves it as it is). The learning rate it starts from must be a number.
 */
export function applySchedule(
  optimizer: Optimizer,
  name: LearningRateScheduleName,
  steps: number,
): void {
  if (name === 'constant') return;
  const rate = optimizer.learningRate;
  if (typeof rate !== 'number') {
    throw new ValueError(
      `--lr-schedule ${name}: expected an optimizer with a constant learning rate to start from. Received: the model's optimizer already follows the schedule ${rate.className}; drop --lr-schedule, or pass --learning-rate`,
    );
  }
  if (!(Number.isSafeInteger(steps) && steps > 0)) {
    throw new ValueError(
      `--lr-schedule ${name}: expected a run of at least one step. Received: steps=${steps}`,
    );
  }
  optimizer.learningRate = optimizers.schedules.cosineDecay({
    initialLearningRate: rate,
    decaySteps: steps,
    alpha: 0,
  });
}

/**
 * A checkpoint's optimizer rebuilt from its config, or undefined when this process cannot
 * rebuild it (a class that only the user's modules register).
 */
export function savedOptimizer(optimizer: CheckpointData['optimizer']): Optimizer | undefined {
  try {
    return optimizers.deserialize(optimizer.config as Parameters<typeof optimizers.deserialize>[0]);
  } catch {
    return undefined;
  }
}

/**
 * Refuses to resume a run whose schedule has brought the learning rate to 0 for every step
 * it has left (a finished cosine run given more `--epochs`): those epochs would change
 * nothing. `lastStep` is the run's last step (`runSteps` of the resumed settings).
 */
export function checkResumedRate(
  optimizer: CheckpointData['optimizer'],
  lastStep: number,
  epochs: number,
): void {
  const next = optimizer.iteration + 1;
  if (next > lastStep) return;
  // An optimizer only the user's modules know: the trainer rebuilds it in the workers.
  const rebuilt = savedOptimizer(optimizer);
  if (rebuilt === undefined) return;
  const rate = rebuilt.learningRate;
  if (typeof rate === 'number') return;
  if (rebuilt.learningRateAt(next) === 0 && rebuilt.learningRateAt(lastStep) === 0) {
    throw new ValueError(
      `--epochs ${epochs}: expected a learning rate above 0 for the steps left to train. Received: the resumed run's ${rate.className} schedule has brought it to 0 by step ${optimizer.iteration}, so steps ${next}–${lastStep} would change nothing; start a new run (--lr-schedule spans the epochs it starts with)`,
    );
  }
}
