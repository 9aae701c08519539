/**
 * The rehearsal: before the first epoch of a run on the resident step, the workers run a
 * few steps whose results are thrown away, so that V8 has compiled the step's code before
 * the steps that count. Without it, the optimizing compiler's threads run beside the
 * workers during the first epoch: with one worker they use the idle core, with two they
 * take a worker's core for milliseconds at a time, and since every step waits for both
 * workers, both stop. Measured (MNIST, batch 128, two workers): the compiler's threads
 * used ≈ 0.11 s of CPU time during a 0.42 s first epoch, and the first epoch ran at 0.8×
 * the second.
 *
 * A rehearsal step reads copy 0 of the state and writes copy 1, as the first step of a
 * run of two does (alternation.ts): the store, which is copy 0, is left as it was, and
 * copy 1 is written again by the first run of two or more steps before anything reads it.
 * Every rehearsal step computes the same iteration (the run's next one), on the first
 * batches of the training set in order (real rows, so that every branch of the step's
 * code runs: code compiled after seeing only some of them is thrown away and compiled
 * again later).
 *
 * It has two parts: whole batches first (REHEARSAL_STEPS; they get the kernels compiled
 * and measure the pace), then many steps of a few rows (WARM_STEPS), which get the step's
 * own JavaScript optimized at a fraction of the cost.
 *
 * The rehearsal runs on the training run's own worker loops and leaves them running, so
 * the first epoch does not wait for the loops to start; and it measures the pace of its
 * last run, so that the first run of the epoch is already as long as the later ones
 * (run.ts, RUN_MS) rather than a few steps that only measure it.
 */
import { performance } from 'node:perf_hooks';
import type { WorkerLoops } from './loops.js';
import type { SharedTrainingState } from './shared-state.js';
import { MAX_RUN } from './step-channel.js';

/**
 * Steps rehearsed at most: with 64, V8 (--trace-opt) still compiled the update phase's
 * code during the first epoch. Starting V8's optimizing compiler sooner instead (a lower
 * --interrupt-budget) compiled the main thread's code during the epoch too, and measured
 * slower: 147,000 samples/s against 167,000 (two workers, `tessera train`, MNIST, batch
 * 128, one epoch, medians of 8 interleaved runs).
 */
export const REHEARSAL_STEPS = 128;

/** Wall time a rehearsal may take at most (a model whose steps are slow rehearses fewer). */
export const REHEARSAL_MS = 250;

/**
 * The rehearsal of a step split by hidden units (unit-split-stepper.ts), which calls its
 * kernels once per block of units: after 128 steps its first epoch still ran at 0.85–0.93×
 * the second (2026-12-08); with 384 steps (at most 600 ms), one-epoch runs of two workers
 * went from 0.82× to 0.96× those of the row split (interleaved `tessera train` pairs, 6 and
 * 4 rounds).
 */
export const UNIT_SPLIT_REHEARSAL = { steps: 384, ms: 600 } as const;

/**
 * The rehearsal's second part, the warming: up to this many steps of WARM_ROWS rows each,
 * for at most WARM_MS and at most WARM_SHARE of the time the fit's training should take at
 * the pace of the whole batches. V8 optimizes a function once it has
 * run a number of times that grows with its size, and the step's own code (the phases,
 * the claims, Adam's calls) runs a few times a step whatever the batch size, while the
 * kernels' time grows with it: small batches get that code optimized for a fraction of the
 * cost. Without it the split's phases were still compiled during the first epoch after
 * 384 whole batches, and two workers' first epoch ran at about 0.8× their second; with 384
 * whole batches and 256 small ones, one-epoch runs of two workers went 1.16× and 1.29×
 * faster (interleaved `tessera train` pairs, 8 and 6 rounds, MNIST, 2026-12-08).
 */
export const WARM_STEPS = 512;

/** Rows of each warming step. */
export const WARM_ROWS = 8;

/** Wall time the warming may take at most. */
export const WARM_MS = 250;

/**
 * The warming's time at most, as a share of the fit's training time (its steps left at the
 * pace of the rehearsal's whole batches): a short fit (a test's) warms little. A fit of
 * fewer steps than V8 needs to optimize the step's code otherwise trains on code that is
 * never optimized: with the warming capped at the fit's step count, a one-epoch MNIST run
 * in batches of 256 (211 steps) scaled 1.24× on two workers.
 */
export const WARM_SHARE = 0.5;

/** Steps of the first, measuring run of each part. */
const FIRST_RUN = 2;

export interface RehearsalArgs {
  /** The training run's loops (started here unless running; left running). */
  loops: WorkerLoops;
  state: SharedTrainingState;
  /** The iteration the run's first step will have. */
  iteration: number;
  batchSize: number;
  /** Examples in the training set. */
  examples: number;
  /** Steps the fit has left to train (they bound the warming's time: WARM_SHARE). */
  trainingSteps: number;
  learningRate: number | undefined;
  /** Steps and wall milliseconds of the first part at most (default REHEARSAL_STEPS and REHEARSAL_MS). */
  limits?: { steps: number; ms: number };
}

/** What a rehearsal did. */
export interface RehearsalResult {
  /** Steps rehearsed on whole batches. */
  steps: number;
  /** Steps rehearsed on WARM_ROWS rows (the warming). */
  warmSteps: number;
  /** Wall milliseconds per step of the last run on whole batches (0 when none ran). */
  msPerStep: number;
}

/**
 * Runs the rehearsal (resident step only: `state.wasmMemory` set) on `args.loops`. A worker
 * failure is thrown as the WorkerError naming it (the loops have stopped then).
 */
export async function rehearse(args: RehearsalArgs): Promise<RehearsalResult> {
  const { state, batchSize, examples } = args;
  if (state.wasmMemory === undefined || examples === 0) {
    return { steps: 0, warmSteps: 0, msPerStep: 0 };
  }
  // The epoch loop draws its order afterwards; until then the first rows, in order.
  const order = state.permutation;
  for (let i = 0; i < order.length; i++) order[i] = i;
  const most = args.limits ?? { steps: REHEARSAL_STEPS, ms: REHEARSAL_MS };
  // Whole batches: at most one epoch's.
  const wholeLimit = Math.min(most.steps, Math.max(1, Math.floor(examples / batchSize)));
  const whole = await rehearseRuns(args, batchSize, wholeLimit, most.ms);
  const rows = Math.min(WARM_ROWS, batchSize);
  const warmMs = Math.min(WARM_MS, WARM_SHARE * whole.msPerStep * args.trainingSteps);
  const warm =
    warmMs > 0 ? await rehearseRuns(args, rows, WARM_STEPS, warmMs) : { steps: 0, msPerStep: 0 };
  return { steps: whole.steps, warmSteps: warm.steps, msPerStep: whole.msPerStep };
}

/**
 * Up to `limit` rehearsal steps of `rows` rows each, on the training set's rows in order
 * (whole batches only — or the one partial batch of a set smaller than one — from the first
 * example on, around again while steps are left), in runs of at most MAX_RUN steps, while
 * they fit in `ms` at the pace measured so far.
 */
async function rehearseRuns(
  args: RehearsalArgs,
  rows: number,
  limit: number,
  ms: number,
): Promise<{ steps: number; msPerStep: number }> {
  const batches = Math.max(1, Math.floor(args.examples / rows));
  const started = performance.now();
  let done = 0;
  let msPerStep = 0;
  while (done < limit) {
    const elapsed = performance.now() - started;
    const affordable = done === 0 ? FIRST_RUN : Math.floor((ms - elapsed) / (elapsed / done));
    const first = done % batches;
    const steps = Math.min(MAX_RUN, limit - done, affordable, batches - first);
    if (steps <= 0) break;
    const t0 = performance.now();
    const error = await args.loops.rehearse({
      iteration: args.iteration,
      start: first * rows,
      batchSize: rows,
      total: args.examples,
      steps,
      learningRate: args.learningRate,
    });
    if (error !== undefined) throw error;
    msPerStep = (performance.now() - t0) / steps;
    done += steps;
  }
  return { steps: done, msPerStep };
}
