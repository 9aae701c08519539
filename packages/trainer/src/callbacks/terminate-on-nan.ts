/**
 * terminateOnNaN: stops training at the first step whose loss is NaN or infinite —
 * before that step's update is applied, so the weights stay the last good ones. In `fit`
 * the workers check the loss themselves (`onNonFiniteLoss`), so no step waits for the main
 * thread and the workers keep running several steps on their own.
 */
import { Callback } from '@tessera/layers';
import type { Logs, TrainerCallback } from './callback.js';

export class TerminateOnNaN extends Callback implements TrainerCallback {
  /** Step at which a non-finite loss stopped training, if any. */
  stoppedAt: number | undefined;

  onNonFiniteLoss(iteration: number, _logs: Logs): void {
    this.stoppedAt = iteration;
    if (this.model !== undefined) this.model.stopTraining = true;
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
