/**
 * How long a worker polls at each of the step's two barriers before it sleeps
 * (waiting.ts), set at the start of every run from what the worker measured over the run
 * before: it polls only briefly while it waited for a CPU and other programs kept the
 * CPUs busy, so that it leaves the CPU to the worker it waits for.
 */

import { OtherProgramsWatch } from './other-programs.js';
import { RunQueueWatch } from './run-queue.js';
import { SpinBudget } from './waiting.js';

export class BarrierSpins {
  /** At the barrier after the gradient phase. */
  readonly gradients = new SpinBudget();
  /** At the barrier after the update phase. */
  readonly updates = new SpinBudget();
  /** How much of its time this thread waits for a CPU (run-queue.ts). */
  private readonly runQueue = new RunQueueWatch();
  /** How much of the machine other programs use (other-programs.ts). */
  private readonly otherPrograms = new OtherProgramsWatch();

  /**
   * Called on the worker's thread as a run begins. Busy when it waited for a CPU and other
   * programs, not this process's own threads (V8 compiling while a run starts), kept the
   * CPUs busy. Both are sampled every run (no short-circuit), so each measures the same
   * interval, since the previous run.
   */
  sample(): void {
    const waitedForCpu = this.runQueue.busy();
    const othersBusy = this.otherPrograms.busy();
    const busy = waitedForCpu && othersBusy;
    this.gradients.setBusy(busy);
    this.updates.setBusy(busy);
  }
}
