/**
 * What `fit` resolves to: the epochs run and, per key ('loss', 'accuracy', 'val_loss',
 * 'val_accuracy', …), one value per epoch — Keras's `History`.
 *
 * ```ts
 * const h = await m.fit(x, y, { epochs: 10, validationSplit: 0.2 });
 * h.history['val_loss'];  // 10 numbers
 * ```
 */
import { Callback, type Logs } from './callback.js';

/** Per-epoch logs of a run; `fit` resolves to one. */
export class History extends Callback {
  /** Epoch indices (0-based) in the order they ran. */
  epoch: number[] = [];
  /** Per log key, one value per epoch. */
  history: Record<string, number[]> = {};

  /** Records one finished epoch (both fits call this before their callbacks' onEpochEnd). */
  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      let list = this.history[key];
      if (list === undefined) {
        list = [];
        this.history[key] = list;
      }
      list.push(value);
    }
  }

  /** As a callback given to `fit`, it records each epoch itself. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    this.record(epoch, logs);
  }
}
