/**
 * EarlyStopping: ends `fit` when the monitored value has not improved for `patience`
 * epochs, optionally putting back the best weights seen (Keras's `EarlyStopping`).
 *
 * ```ts
 * await m.fit(x, y, { epochs: 100, validationSplit: 0.2,
 *   callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })] });
 * ```
 */
import { type Tensor, tf } from '@tessera/core';
import { type NumberRange, numberArg } from '../registry/checks.js';
import { Callback, type Logs } from './callback.js';
import { improved, type MonitorMode, monitored, resolveMode } from './monitor.js';

/** Epoch counts: non-negative integers. */
const COUNT: NumberRange = { min: 0, integer: true };

/** Arguments of `new EarlyStopping(…)`. */
export interface EarlyStoppingArgs {
  /** Log key to watch (default 'val_loss'). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max', or 'auto' (from the name; default). */
  mode?: MonitorMode;
  /** Value to beat; until it is, epochs count as without improvement. */
  baseline?: number | null;
  /** Put back the weights of the best epoch when training ends, however it ends (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (default 0). */
  startFromEpoch?: number;
}

/** Stops training when the monitored value stops improving. */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epoch at which training was stopped (0 if it was not). */
  stoppedEpoch = 0;
  /** Epoch with the best monitored value so far. */
  bestEpoch = 0;
  private wait = 0;
  private best = Number.NaN;
  private bestWeights: Tensor[] | undefined;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    this.monitor = args.monitor ?? 'val_loss';
    // Keras and tfjs take the magnitude: a negative minDelta means the same as a positive one.
    this.minDelta = Math.abs(numberArg('EarlyStopping', 'minDelta', args.minDelta, 0));
    this.patience = numberArg('EarlyStopping', 'patience', args.patience, 0, COUNT);
    this.mode = resolveMode('EarlyStopping', args.mode ?? 'auto', this.monitor);
    this.baseline = args.baseline ?? null;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = numberArg(
      'EarlyStopping',
      'startFromEpoch',
      args.startFromEpoch,
      0,
      COUNT,
    );
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.dropBest();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (epoch < this.startFromEpoch) return;
    const current = monitored('EarlyStopping', this.monitor, logs);
    if (this.restoreBestWeights && this.bestWeights === undefined) this.keepBest();
    this.wait += 1;
    if (improved(this.mode, current, this.best, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.keepBest();
      if (this.baseline === null || improved(this.mode, current, this.baseline, this.minDelta))
        this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0 && this.model !== undefined) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  /**
   * With `restoreBestWeights`, the model gets the best epoch's weights back however
   * training ended (this callback, another one, or the last epoch), as Keras 3 does.
   */
  override onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights !== undefined && this.model !== undefined)
      this.model.setWeights(this.bestWeights);
    this.dropBest();
  }

  private keepBest(): void {
    if (this.model === undefined) return;
    this.dropBest();
    this.bestWeights = this.model.getWeights();
  }

  private dropBest(): void {
    if (this.bestWeights !== undefined) tf.dispose(this.bestWeights);
    this.bestWeights = undefined;
  }
}
