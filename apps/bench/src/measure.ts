/**
 * Wall-clock timing for benchmarks: warm up, calibrate the repetitions so each trial
 * lasts long enough to time, then report the median and the best of several trials.
 */

/** How to time. */
export interface MeasureOptions {
  /** Trials to run (default 5); the median resists a loaded machine. */
  trials?: number;
  /** Each trial repeats the call until it lasts at least this long (default 0.1 s). */
  minTrialSeconds?: number;
  /** Untimed calls first, so the JIT and caches settle (default 3). */
  warmupCalls?: number;
}

/** Seconds per call. */
export interface Timing {
  /** Median over trials. */
  medianSeconds: number;
  /** Fastest trial. */
  bestSeconds: number;
  /** Calls per trial. */
  reps: number;
  /** Trials run. */
  trials: number;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

/** Times `fn` (one call = one unit of work). */
export function measure(fn: () => void, options: MeasureOptions = {}): Timing {
  const trials = options.trials ?? 5;
  const minTrial = options.minTrialSeconds ?? 0.1;
  const warmup = options.warmupCalls ?? 3;
  let start = now();
  for (let i = 0; i < warmup; i++) fn();
  const perCall = warmup > 0 ? (now() - start) / warmup : 0;
  const reps = Math.max(1, Math.ceil(minTrial / Math.max(perCall, 1e-7)));
  const seconds: number[] = [];
  for (let t = 0; t < trials; t++) {
    start = now();
    for (let r = 0; r < reps; r++) fn();
    seconds.push((now() - start) / reps);
  }
  seconds.sort((x, y) => x - y);
  return { medianSeconds: median(seconds), bestSeconds: seconds[0]!, reps, trials };
}

/** The median of sorted numbers. */
export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
