/**
 * Waiting on one int32 word of shared memory: blocking in worker threads (with a short
 * poll first), and without blocking on the main thread. Both ends of the step protocol
 * (step-channel.ts) wait through these.
 */

/** How long a blocked worker sleeps before it looks at the abort word again (a safety net: aborts are notified). */
const RECHECK_MS = 250;

/**
 * How long a worker polls a word before it sleeps on it (SpinBudget). Sleeping is costly
 * here: on this project's virtual machines a thread woken from Atomics.wait often runs
 * again only 0.5–0.7 ms later (its virtual CPU went idle), and on a noisy host several
 * milliseconds later — longer than most of a step's barrier waits; and while it sleeps the
 * other worker claims all the work, so the sleeper's next wait is long too, and the two
 * take turns instead of working together. So a worker polls for up to MAX_SPIN loads
 * (about 2 ms; an `Atomics.load` of a shared word takes about 10 ns) before it sleeps.
 * On a machine where other programs keep the cores busy (the worker waits for a CPU,
 * run-queue.ts, and other processes use the machine, other-programs.ts), polling burns the
 * CPU time that the worker it waits for needs: the worker polls MIN_SPIN loads only. Measured
 * with two busy loops on the two cores (`tessera train`, MNIST, two workers, medians of
 * 4): 49,000 samples/s polling as on an idle machine, 59,000–62,000 polling MIN_SPIN; one
 * worker 64,000–73,000.
 */
export const MIN_SPIN = 1_000;
export const MAX_SPIN = 200_000;

/** One thread's polling budget for one kind of wait (see MIN_SPIN). */
export class SpinBudget {
  /**
   * Loads to poll before sleeping next time. None the first time: that wait goes the
   * sleeping way (it sleeps only if the word is not there yet), so V8 sees that code run
   * before it optimizes the function; code it never saw run is compiled without it, and
   * thrown away (deoptimized) when it first runs.
   */
  loads = 0;
  /** The most loads it polls: MAX_SPIN, or MIN_SPIN on a busy machine. */
  private limit = MAX_SPIN;

  /** Whether other programs keep the machine's cores busy (see MIN_SPIN). */
  setBusy(busy: boolean): void {
    this.limit = busy ? MIN_SPIN : MAX_SPIN;
    this.loads = Math.min(this.loads, this.limit);
  }

  /** A wait ended (within the polling or after a sleep): poll the full budget next time. */
  waited(): void {
    this.loads = this.limit;
  }
}

/** Sleeps until `words[word]` may differ from `seen` (or RECHECK_MS pass). */
function sleepOn(words: Int32Array, word: number, seen: number): void {
  Atomics.wait(words, word, seen, RECHECK_MS);
}

/**
 * Blocks this (worker) thread until `done(words[word])`, and returns true; returns false
 * as soon as `words[abort]` is nonzero. For rare waits (no polling).
 */
export function blockUntil(
  words: Int32Array,
  word: number,
  abort: number,
  done: (value: number) => boolean,
): boolean {
  for (;;) {
    if (Atomics.load(words, abort) !== 0) return false;
    const seen = Atomics.load(words, word);
    if (done(seen)) return true;
    sleepOn(words, word, seen);
  }
}

/**
 * Blocks this (worker) thread until `words[word] >= target` (polling first, for as long
 * as `budget` says), and returns true; false as soon as `words[abort]` is nonzero. The
 * barrier of every step: it takes no callback, so a step allocates nothing here.
 */
export function blockUntilAtLeast(
  words: Int32Array,
  word: number,
  abort: number,
  target: number,
  budget: SpinBudget,
): boolean {
  if (pollUntilAtLeast(words, word, target, budget.loads)) {
    budget.waited();
    return Atomics.load(words, abort) === 0;
  }
  for (;;) {
    if (Atomics.load(words, abort) !== 0) return false;
    const seen = Atomics.load(words, word);
    if (seen >= target) break;
    sleepOn(words, word, seen);
  }
  budget.waited();
  return true;
}

/**
 * Polls `words[word]` up to `loads` times; whether it reached `target`. Alone in its own
 * function: V8 compiles a long-running loop while it runs, and code after the loop that it
 * has not yet seen run would be compiled without it and then thrown away when it runs.
 */
function pollUntilAtLeast(words: Int32Array, word: number, target: number, loads: number): boolean {
  for (let i = 0; i < loads; i++) if (Atomics.load(words, word) >= target) return true;
  return false;
}

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) =>
  | { async: false; value: 'not-equal' | 'timed-out' }
  | { async: true; value: Promise<'ok' | 'timed-out'> };

/** Node 20 has Atomics.waitAsync; TypeScript's ES2022 library does not declare it. */
const atomicsWaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/**
 * Main thread: resolves once `words[word]` may differ from `seen` (it was notified, or
 * already differed), or after `timeoutMs`, or when `interrupt` settles first (rejecting
 * when it rejects). The event loop keeps running.
 */
export async function waitChange(
  words: Int32Array,
  word: number,
  seen: number,
  timeoutMs: number | undefined,
  interrupt: Promise<never>,
): Promise<void> {
  const waited = atomicsWaitAsync(words, word, seen, timeoutMs);
  if (waited.async) await Promise.race([waited.value, interrupt]);
}
