/**
 * Waiting on one int32 word of shared memory: blocking in worker threads (with a short
 * poll first), and without blocking on the main thread. Both ends of the step protocol
 * (step-channel.ts) wait through these.
 */

/** How long a blocked worker sleeps before it looks at the abort word again (a safety net: aborts are notified). */
const RECHECK_MS = 250;

/**
 * How many times a worker polls a word before it sleeps on it: about 10 µs (an
 * `Atomics.load` of a shared word takes about 10 ns here). Short on purpose. On an idle
 * machine the workers' chunks are claimed dynamically, so a worker that sleeps and wakes a
 * little late only takes fewer chunks, and 2 workers measured the same with 1,000 or
 * 40,000 polls. On a loaded machine a polling worker burns the CPU time that the worker it
 * waits for needs: 2 workers ran at 39,000 samples/s polling 40,000 times and 80,000
 * polling 500 times (MNIST, batch 128, medians of 6 interleaved runs, load ≈ 7). Counted,
 * not timed: reading the clock returns a boxed number, and a barrier that allocates fills
 * the worker's heap.
 */
const SPIN_LOADS = 1_000;

/**
 * Blocks this (worker) thread until `done(words[word])`, and returns true; returns false
 * as soon as `words[abort]` is nonzero. For waits between runs (no polling).
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
    Atomics.wait(words, word, seen, RECHECK_MS);
  }
}

/**
 * Blocks this (worker) thread until `words[word] >= target` (polling briefly first), and
 * returns true; false as soon as `words[abort]` is nonzero. The barrier of every step:
 * unlike `blockUntil` it takes no callback, so a step allocates nothing here.
 */
export function blockUntilAtLeast(
  words: Int32Array,
  word: number,
  abort: number,
  target: number,
): boolean {
  for (let i = 0; i < SPIN_LOADS; i++) {
    if (Atomics.load(words, word) >= target) return Atomics.load(words, abort) === 0;
  }
  for (;;) {
    if (Atomics.load(words, abort) !== 0) return false;
    const seen = Atomics.load(words, word);
    if (seen >= target) return true;
    Atomics.wait(words, word, seen, RECHECK_MS);
  }
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
