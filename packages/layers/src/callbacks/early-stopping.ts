/**
 * EarlyStopping: ends `fit` when the monitored value has not improved for `patience`
 * epochs, optionally putting back the best weights seen (Keras's `EarlyStopping`).
 *
 * ```ts
 * await m.fit(x, y, { epochs: 100, validationSplit: 0.2,
 *   callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true })] });
 * ```
 */
import { received, type Tensor, tf, ValueError } from '@tessera/core';
import { Callback, type Logs } from './callback.js';
import { improved, type MonitorMode, monitored, resolveMode } from './monitor.js';

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
  /** Put back the weights of the best epoch when stopping (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (default 0). */
  startFromEpoch?: number;
}

function nonNegative(value: unknown, name: string, integer: boolean): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new ValueError(
      received(
        `EarlyStopping: ${name} must be a non-negative ${integer ? 'integer' : 'number'}`,
        name,
        value,
      ),
    );
  }
  return value;
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
    this.minDelta = Math.abs(nonNegative(args.minDelta ?? 0, 'minDelta', false));
    this.patience = nonNegative(args.patience ?? 0, 'patience', true);
    this.mode = resolveMode('EarlyStopping', args.mode ?? 'auto', this.monitor);
    this.baseline = args.baseline ?? null;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = nonNegative(args.startFromEpoch ?? 0, 'startFromEpoch', true);
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
      if (this.restoreBestWeights && this.bestWeights !== undefined)
        this.model.setWeights(this.bestWeights);
    }
  }

  override onTrainEnd(): void {
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
