/**
 * ReduceLROnPlateau: multiplies the optimizer's learning rate by `factor` when the
 * monitored value has not improved for `patience` epochs (Keras's callback).
 *
 * ```ts
 * callbacks: [new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 3, minLr: 1e-5 })]
 * ```
 */
import { received, StateError, ValueError } from '@tessera/core';
import { Callback, type Logs } from './callback.js';
import { improved, type MonitorMode, monitored, resolveMode } from './monitor.js';

/** Arguments of `new ReduceLROnPlateau(…)`. */
export interface ReduceLROnPlateauArgs {
  /** Log key to watch (default 'val_loss'). */
  monitor?: string;
  /** New rate = rate · factor, with 0 < factor < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** 'min', 'max', or 'auto' (from the name; default). */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** The rate never goes below this (default 0). */
  minLr?: number;
}

/** Lowers the learning rate when the monitored value stops improving. */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  private wait = 0;
  private cooldownCounter = 0;
  private best = Number.NaN;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    this.monitor = args.monitor ?? 'val_loss';
    const factor = args.factor ?? 0.1;
    if (typeof factor !== 'number' || !(factor > 0 && factor < 1)) {
      throw new ValueError(
        received('ReduceLROnPlateau: factor must be a number in (0, 1)', 'factor', factor),
      );
    }
    this.factor = factor;
    this.patience = ReduceLROnPlateau.count(args.patience ?? 10, 'patience');
    this.cooldown = ReduceLROnPlateau.count(args.cooldown ?? 0, 'cooldown');
    this.mode = resolveMode('ReduceLROnPlateau', args.mode ?? 'auto', this.monitor);
    this.minDelta = args.minDelta ?? 1e-4;
    this.minLr = args.minLr ?? 0;
    if (!(this.minDelta >= 0) || !(this.minLr >= 0)) {
      throw new ValueError(
        received('ReduceLROnPlateau: minDelta and minLr must be ≥ 0', 'minLr', this.minLr),
      );
    }
  }

  private static count(value: unknown, name: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new ValueError(
        received(`ReduceLROnPlateau: ${name} must be a non-negative integer`, name, value),
      );
    }
    return value;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    const current = monitored('ReduceLROnPlateau', this.monitor, logs);
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (improved(this.mode, current, this.best, this.minDelta)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait += 1;
    if (this.wait < this.patience) return;
    const optimizer = this.model?.compiled?.optimizer;
    if (optimizer === undefined)
      throw new StateError('ReduceLROnPlateau: the model has no compiled optimizer');
    const lr = optimizer.learningRate;
    if (typeof lr !== 'number') {
      throw new StateError(
        'ReduceLROnPlateau: the learning rate follows a schedule, so it cannot also be reduced on plateaus',
      );
    }
    if (lr > this.minLr) optimizer.learningRate = Math.max(lr * this.factor, this.minLr);
    this.cooldownCounter = this.cooldown;
    this.wait = 0;
  }
}
