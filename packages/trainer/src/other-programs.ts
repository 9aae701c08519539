/**
 * How much of the machine's CPU time other programs used — every process but this one —
 * read from Linux's /proc/stat (the machine's busy and idle time) and /proc/self/stat
 * (this process's, all its threads together), both in clock ticks. A run-queue wait
 * (run-queue.ts) says that a worker waited for a CPU, not who took it: V8's compiler
 * threads and the main thread of this very process do for a few milliseconds at a time
 * while a training run starts, and a worker then does best to keep polling. Another
 * program that keeps the cores busy takes them all the time, and then a worker that waits
 * should leave its CPU to the worker it waits for. Where the files do not exist (not
 * Linux), the share is 0.
 */
import { readFileSync } from 'node:fs';

const MACHINE = '/proc/stat';
const PROCESS = '/proc/self/stat';

/** Above this share of the machine's CPU time used by other programs, the machine counts as busy. */
export const OTHER_PROGRAMS_SHARE = 0.25;

interface Ticks {
  /** Time the CPUs spent running anything (user, nice, system, irq, softirq). */
  busy: number;
  /** busy + idle + iowait: all the time the CPUs had (steal, the host's, is not counted). */
  total: number;
  /** This process's user and system time. */
  own: number;
}

/** The machine's and this process's CPU ticks so far; null where they cannot be read. */
export function readTicks(): Ticks | null {
  try {
    const cpu = readFileSync(MACHINE, 'latin1').split('\n', 1)[0]!.trim().split(/\s+/);
    if (cpu[0] !== 'cpu') return null;
    const [user, nice, system, idle, iowait, irq, softirq] = cpu.slice(1, 8).map(Number);
    const stat = readFileSync(PROCESS, 'latin1');
    // Fields after the command name (in parentheses, which may hold spaces): state is
    // field 3, utime 14 and stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(rest[11]) + Number(rest[12]);
    const busy = user! + nice! + system! + irq! + softirq!;
    const ticks = { busy, total: busy + idle! + iowait!, own };
    return Object.values(ticks).every(Number.isFinite) ? ticks : null;
  } catch {
    return null;
  }
}

export class OtherProgramsWatch {
  private last: Ticks | null = null;

  /**
   * The share of the machine's CPU time since the previous call that other programs used
   * (0 on the first call, where nothing can be read, and when no tick has passed).
   */
  sample(): number {
    const now = readTicks();
    const previous = this.last;
    this.last = now;
    if (now === null || previous === null) return 0;
    const total = now.total - previous.total;
    if (total <= 0) return 0;
    const others = now.busy - previous.busy - (now.own - previous.own);
    return Math.min(1, Math.max(0, others / total));
  }

  /** Whether other programs used more than OTHER_PROGRAMS_SHARE of the machine since the previous call. */
  busy(): boolean {
    return this.sample() > OTHER_PROGRAMS_SHARE;
  }
}
