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

/** Steps of the first, measuring run of a rehearsal. */
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
  learningRate: number | undefined;
  /** Steps and wall milliseconds at most (default REHEARSAL_STEPS and REHEARSAL_MS). */
  limits?: { steps: number; ms: number };
}

/** What a rehearsal did. */
export interface RehearsalResult {
  /** Steps rehearsed. */
  steps: number;
  /** Wall milliseconds per step of its last run (0 when none ran). */
  msPerStep: number;
}

/**
 * Runs the rehearsal (resident step only: `state.wasmMemory` set) on `args.loops`. A worker
 * failure is thrown as the WorkerError naming it (the loops have stopped then).
 */
export async function rehearse(args: RehearsalArgs): Promise<RehearsalResult> {
  const { state, batchSize, examples, loops } = args;
  if (state.wasmMemory === undefined || examples === 0) return { steps: 0, msPerStep: 0 };
  // Whole batches only, from the first example on.
  const batches = Math.max(1, Math.floor(examples / batchSize));
  const most = args.limits ?? { steps: REHEARSAL_STEPS, ms: REHEARSAL_MS };
  const limit = Math.min(most.steps, batches);
  // The epoch loop draws its order afterwards; until then the first rows, in order.
  const order = state.permutation;
  for (let i = 0; i < order.length; i++) order[i] = i;
  const started = performance.now();
  let done = 0;
  let msPerStep = 0;
  while (done < limit) {
    const elapsed = performance.now() - started;
    const perStep = done === 0 ? 0 : elapsed / done;
    const affordable = done === 0 ? FIRST_RUN : Math.floor((most.ms - elapsed) / perStep);
    const steps = Math.min(MAX_RUN, limit - done, affordable);
    if (steps <= 0) break;
    const t0 = performance.now();
    const error = await loops.rehearse({
      iteration: args.iteration,
      start: done * batchSize,
      batchSize,
      total: examples,
      steps,
      learningRate: args.learningRate,
    });
    if (error !== undefined) throw error;
    msPerStep = (performance.now() - t0) / steps;
    done += steps;
  }
  return { steps: done, msPerStep };
}
