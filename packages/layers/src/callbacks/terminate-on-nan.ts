/**
 * TerminateOnNaN: stops training at the first step whose loss is NaN or infinite — before
 * that step's update is applied, so the weights stay the last good ones (Keras stops after
 * the update; here the bad step changes nothing). Its presence turns on the loss guard of
 * the epoch loop: in `model.fit` the step checks its loss before updating; in the
 * data-parallel trainer the workers check it themselves, so no step waits for the main
 * thread and they keep running several steps on their own.
 *
 * ```ts
 * const guard = new TerminateOnNaN();
 * await m.fit(x, y, { epochs: 10, callbacks: [guard] });
 * guard.stoppedAt; // the step whose loss was not finite, if any
 * ```
 */
import { Callback, type Logs } from './callback.js';

export class TerminateOnNaN extends Callback {
  /** Step (optimizer iteration) at which a non-finite loss stopped training, if any. */
  stoppedAt: number | undefined;

  override onTrainBegin(): void {
    this.stoppedAt = undefined;
  }

  onNonFiniteLoss(iteration: number, _logs: Logs): void {
    this.stoppedAt = iteration;
    if (this.model !== undefined) this.model.stopTraining = true;
  }
}
