/**
 * terminateOnNaN: stops training at the first step whose loss is NaN or infinite —
 * before that step's update is applied, so the weights stay the last good ones.
 */
import { Callback } from '@tessera/layers';
import type { Logs, TrainerCallback } from './callback.js';

export class TerminateOnNaN extends Callback implements TrainerCallback {
  /** Step at which a non-finite loss stopped training, if any. */
  stoppedAt: number | undefined;

  beforeUpdate(iteration: number, logs: Logs): boolean {
    const loss = logs['loss'];
    if (loss !== undefined && Number.isFinite(loss)) return true;
    this.stoppedAt = iteration;
    if (this.model !== undefined) this.model.stopTraining = true;
    return false;
  }

  /** In-process training (model.fit) has no beforeUpdate hook; stop at the batch's end there. */
  override onBatchEnd(_batch: number, logs?: Logs): void {
    const loss = logs?.['loss'];
    if (loss !== undefined && !Number.isFinite(loss) && this.model !== undefined)
      this.model.stopTraining = true;
  }
}

export function terminateOnNaN(): TerminateOnNaN {
  return new TerminateOnNaN();
}
