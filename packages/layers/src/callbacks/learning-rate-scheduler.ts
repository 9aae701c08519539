/**
 * LearningRateScheduler (Keras's): at the start of every epoch the learning rate becomes
 * `schedule(epoch, currentRate)`.
 *
 * ```ts
 * const halve = callbacks.learningRateScheduler({ schedule: (epoch, lr) => (epoch < 2 ? lr : lr / 2) });
 * await m.fit(x, y, { epochs: 10, callbacks: [halve] });
 * ```
 */
import { received, StateError, ValueError } from '@tessera/core';
import { Callback } from './callback.js';

/** Arguments of `callbacks.learningRateScheduler`. */
export interface LearningRateSchedulerArgs {
  /**
   * The rate of an epoch (0-based) from the epoch and the current rate; must return a
   * positive finite number.
   */
  schedule: (epoch: number, learningRate: number) => number;
  /** 1: print each new rate through `printFn` (default 0). */
  verbose?: 0 | 1;
  /** Where verbose lines go (default console.log). */
  printFn?: (line: string) => void;
}

/** Sets the learning rate at the start of each epoch from a function of the epoch. */
export class LearningRateScheduler extends Callback {
  readonly schedule: (epoch: number, learningRate: number) => number;
  readonly verbose: 0 | 1;
  private readonly printFn: (line: string) => void;

  constructor(args: LearningRateSchedulerArgs) {
    super();
    if (args === null || typeof args !== 'object' || typeof args.schedule !== 'function') {
      throw new ValueError(
        received(
          'LearningRateScheduler: schedule must be a function (epoch, learningRate) => number',
          'schedule',
          (args as Partial<LearningRateSchedulerArgs> | null)?.schedule,
        ),
      );
    }
    if (args.verbose !== undefined && args.verbose !== 0 && args.verbose !== 1) {
      throw new ValueError(
        received('LearningRateScheduler: verbose must be 0 or 1', 'verbose', args.verbose),
      );
    }
    this.schedule = args.schedule;
    this.verbose = args.verbose ?? 0;
    this.printFn = args.printFn ?? console.log;
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = this.model?.compiled?.optimizer;
    if (optimizer === undefined) {
      throw new StateError('LearningRateScheduler: the model has no compiled optimizer');
    }
    const current = optimizer.learningRate;
    if (typeof current !== 'number') {
      throw new StateError(
        'LearningRateScheduler: the learning rate follows a LearningRateSchedule already, so a callback cannot also set it',
      );
    }
    const next = this.schedule(epoch, current);
    if (typeof next !== 'number' || !Number.isFinite(next) || next <= 0) {
      throw new ValueError(
        received(
          `LearningRateScheduler: the schedule must return a positive finite number (epoch ${epoch})`,
          'learningRate',
          next,
        ),
      );
    }
    optimizer.learningRate = next;
    if (this.verbose === 1) {
      this.printFn(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${next}.`);
    }
  }
}
