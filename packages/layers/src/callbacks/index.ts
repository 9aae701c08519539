/**
 * `callbacks`: lower-case factories for the built-in callbacks, as tfjs spells them.
 *
 * ```ts
 * await m.fit(x, y, { epochs: 50, validationSplit: 0.2, callbacks: [callbacks.earlyStopping({ patience: 3 })] });
 * ```
 */
import { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
import {
  LearningRateScheduler,
  type LearningRateSchedulerArgs,
} from './learning-rate-scheduler.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN } from './terminate-on-nan.js';

/** Factories of the built-in callbacks. */
export const callbacks = {
  /** Stops training when the monitored value stops improving. */
  earlyStopping: (args?: EarlyStoppingArgs): EarlyStopping => new EarlyStopping(args),
  /** Lowers the learning rate when the monitored value stops improving. */
  reduceLROnPlateau: (args?: ReduceLROnPlateauArgs): ReduceLROnPlateau =>
    new ReduceLROnPlateau(args),
  /** Stops at the first step whose loss is not finite, before its update. */
  terminateOnNaN: (): TerminateOnNaN => new TerminateOnNaN(),
  /** Sets the learning rate at the start of each epoch from `schedule(epoch, lr)`. */
  learningRateScheduler: (args: LearningRateSchedulerArgs): LearningRateScheduler =>
    new LearningRateScheduler(args),
} as const;
