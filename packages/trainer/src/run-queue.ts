/**
 * How much of its time a worker thread spent waiting for a CPU — runnable but not running
 * — read from Linux's per-thread scheduler statistics (/proc/thread-self/schedstat: time
 * on a CPU, time waiting on a run queue, in ns). On a machine with more runnable threads
 * than cores this fraction is large (two busy loops on two cores: about half), on an idle
 * one near 0; unlike the load average it reacts within a run and does not count the
 * machine's past. Where the file does not exist (not Linux), the fraction is 0.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const SCHEDSTAT = '/proc/thread-self/schedstat';

/** Above this fraction of its time spent waiting for a CPU, the machine counts as busy. */
export const BUSY_WAIT_FRACTION = 0.2;

export class RunQueueWatch {
  private lastWaitNs = Number.NaN;
  private lastAt = 0;

  /** The thread's waiting time in ns so far, or NaN where it cannot be read. */
  private static waitNs(): number {
    try {
      return Number(readFileSync(SCHEDSTAT, 'latin1').split(' ')[1]);
    } catch {
      return Number.NaN;
    }
  }

  /**
   * The fraction of the wall time since the previous call that this thread spent waiting
   * for a CPU (0 on the first call and where it cannot be read). Call it on the thread
   * watched: the file describes the calling thread.
   */
  sample(): number {
    const wait = RunQueueWatch.waitNs();
    const now = performance.now();
    const previous = this.lastWaitNs;
    const elapsedMs = now - this.lastAt;
    this.lastWaitNs = wait;
    this.lastAt = now;
    if (!(Number.isFinite(wait) && Number.isFinite(previous) && elapsedMs > 0)) return 0;
    return Math.max(0, (wait - previous) / 1e6 / elapsedMs);
  }

  /** Whether the thread waited for a CPU more than BUSY_WAIT_FRACTION of the time since the previous call. */
  busy(): boolean {
    return this.sample() > BUSY_WAIT_FRACTION;
  }
}
