/**
 * THE epoch loop, run by both fits: the in-process `model.fit` and `@tessera/trainer`'s
 * data-parallel `fit`. It owns everything about a run that is not arithmetic: the epoch
 * order (drawn from the seeded RNG), the callbacks and their order, the epoch's running
 * loss and metric statistics, validation timing, the history, `stopTraining`, the loss
 * guard and veto, interrupts and the epoch line. What differs between the fits is behind
 * a `StepRunner`: how a run of consecutive steps is executed (one step on the main
 * thread, or several on the worker threads) and how validation data is evaluated.
 *
 * Per epoch (Keras's order; see docs/architecture.md, "One epoch loop"):
 *
 *   onEpochBegin(epoch)                       (not when resuming in the middle of it)
 *   per run of steps (1 step in-process; as many as take ~100 ms on the workers):
 *     onBatchBegin(b)                         before the run, for its first step
 *     the run: each step's gradient, then (unless vetoed or its loss is not finite) its update
 *     per applied step j: onBatchBegin(b + j) (j > 0), onBatchEnd(b + j, { loss, metrics… });
 *     a step computed but not applied (veto, non-finite loss) gets onBatchBegin only
 *   validation (when there is validation data)
 *   history.record, then onEpochEnd(epoch, { loss, metrics…, val_loss, val_metrics… }),
 *   then the epoch line (verbose > 0), as Keras's progress logger, the last callback.
 *
 * `model.stopTraining` is read before every run: a stop asked inside an epoch ends that
 * epoch after the steps already run (their logs, validation, onEpochEnd and history, as
 * Keras does). An epoch in which no step was applied (a veto or non-finite loss at its
 * first step) has no epoch end. Steps a run already made are always reported, so a stop
 * asked in a batch hook takes effect at the end of the run; a callback that must act at a
 * given step names it with `nextStop`, and runs end there.
 *
 * Overlap: when the runner can (`StepRunner.overlaps`) and every callback's batch hooks
 * only read their logs (`batchHooksReadLogsOnly`), a run that is neither the epoch's last
 * nor ends at a `nextStop` step is posted `continued`: once it has applied all its steps,
 * the next run is posted before its batch hooks are called, so the workers do not wait for
 * the hooks (nor for the main thread to wake). The hooks are called in the same order with
 * the same logs and counters; only the runs go on meanwhile. An abort or a stop seen when
 * the next run would be posted settles the state instead (`StepRunner.settle`).
 */
import { Rng, type RngState, received, ValueError } from '@tessera/core';
import type { FitParams, Logs } from '../callbacks/callback.js';
import type { CallbackList } from '../callbacks/callback-list.js';
import type { MetricStatistics } from '../metrics/statistics.js';
import type { Model } from './model.js';
import type { Measured, RunResult, StepRun, StepRunner } from './step-runner.js';

/** Where a run stands inside an epoch: what a checkpoint saves to resume exactly there. */
export interface EpochProgress {
  /** Epoch in progress (0-based). */
  epoch: number;
  /** Next batch index to run in that epoch. */
  batch: number;
  /** Sum over the epoch's applied steps of loss × examples. */
  lossSum: number;
  /** Sum over the epoch's applied steps of each metric statistic × examples. */
  metricSums: number[];
  /** Examples of the epoch's applied steps. */
  examples: number;
}

/** Where the loop starts: optimizer updates done, progress, RNG state at that epoch's start. */
export interface LoopStart {
  iteration: number;
  progress: EpochProgress;
  rng: RngState;
}

/** A run posted, and its result to come. */
interface PostedRun {
  run: StepRun;
  result: Promise<RunResult>;
}

/** What the loop measured of an epoch, for the history. */
export interface EpochMeasures {
  /** Training examples per second of training time (validation excluded). */
  samplesPerSecond: number;
  /** Wall milliseconds of the epoch's steps (validation excluded). */
  trainMs: number;
}

export interface EpochLoopArgs<Context> {
  model: Model;
  callbacks: CallbackList<Context>;
  runner: StepRunner;
  /** Records a finished epoch (before onEpochEnd, so a checkpoint taken there holds it). */
  record: (epoch: number, logs: Logs, measures: EpochMeasures) => void;
  /** Metric names, in statistics order (the log keys). */
  metricNames: readonly string[];
  statistics: MetricStatistics;
  /** Epoch to stop before. */
  epochs: number;
  batchSize: number;
  /** Training examples per epoch. */
  samples: number;
  /** Receives each epoch's order of examples (length `samples`). */
  order: Int32Array;
  shuffle: boolean;
  start: LoopStart;
  verbose: 0 | 1 | 2;
  printFn: (line: string) => void;
  /** Aborting stops the run between two runs of steps: `onInterrupt`, then `abortError()` is thrown. */
  signal?: AbortSignal | undefined;
  abortError?: () => Error;
}

/**
 * `initialEpoch` of a fit (default 0), checked: an integer in [0, epochs), as both fits
 * (model.fit and the trainer's) take it; a ValueError names it otherwise.
 */
export function checkInitialEpoch(initialEpoch: number | undefined, epochs: number): number {
  const value = initialEpoch ?? 0;
  if (!Number.isInteger(value) || value < 0 || value >= epochs) {
    throw new ValueError(
      received(
        `fit: initialEpoch must be an integer in [0, epochs=${epochs})`,
        'initialEpoch',
        value,
      ),
    );
  }
  return value;
}

/** A fresh start at `epoch` for `seed`. */
export function freshStart(seed: number, epoch = 0): LoopStart {
  return {
    iteration: 0,
    progress: { epoch, batch: 0, lossSum: 0, metricSums: [], examples: 0 },
    rng: new Rng(seed).getState(),
  };
}

/** The loop of one fit (see the module comment). */
export class EpochLoop<Context = unknown> {
  /** Optimizer updates applied so far. */
  iteration: number;
  progress: EpochProgress;
  /** RNG state at the start of `progress.epoch`, before its order was drawn. */
  rngAtEpochStart: RngState;
  private readonly rng: Rng;
  private readonly batches: number;
  /** The run posted before the batch hooks of the one before it were called (Overlap). */
  private posted: PostedRun | undefined;

  constructor(private readonly args: EpochLoopArgs<Context>) {
    const { start } = args;
    this.iteration = start.iteration;
    this.progress = { ...start.progress, metricSums: [...start.progress.metricSums] };
    this.rng = Rng.fromState(start.rng);
    this.rngAtEpochStart = start.rng;
    this.batches = Math.ceil(args.samples / args.batchSize);
  }

  /** The run's parameters, as callbacks get them. */
  get params(): FitParams {
    const { epochs, samples, verbose } = this.args;
    return { epochs, steps: this.batches, samples, verbose };
  }

  async run(): Promise<void> {
    const { model, callbacks, epochs } = this.args;
    callbacks.setModel(model);
    callbacks.setParams(this.params);
    model.stopTraining = false;
    let lastLogs: Logs = {};
    await callbacks.onTrainBegin();
    while (this.progress.epoch < epochs && !model.stopTraining) {
      const logs = await this.epoch();
      if (logs === undefined) break;
      lastLogs = logs;
    }
    await callbacks.onTrainEnd(lastLogs);
  }

  /** One epoch (or the rest of a resumed one); its logs, or undefined when no step was applied. */
  private async epoch(): Promise<Logs | undefined> {
    const { model, callbacks, runner } = this.args;
    const epoch = this.progress.epoch;
    const resumedMidEpoch = this.progress.batch > 0;
    this.rngAtEpochStart = this.rng.getState();
    this.drawOrder();
    runner.startEpoch?.(epoch);
    const begun = performance.now();
    // An abort asked for while the last epoch ended is taken before this epoch's callbacks
    // run: a checkpoint made then holds the state at this epoch's start, and a resumed run
    // runs onEpochBegin once (a learning-rate schedule would otherwise apply twice).
    if (!resumedMidEpoch) {
      await this.checkAbort();
      await callbacks.onEpochBegin(epoch);
    }
    const started = performance.now();
    const examplesBefore = this.progress.examples;
    while (
      this.posted !== undefined ||
      (this.progress.batch < this.batches && !model.stopTraining)
    ) {
      // A run in flight is taken in first: an abort is seen once none is.
      if (this.posted === undefined) await this.checkAbort();
      await this.steps();
    }
    const trainMs = performance.now() - started;
    if (this.progress.batch === 0) return undefined;
    const logs = this.epochLogs();
    const validation = await runner.validate();
    if (validation !== undefined) Object.assign(logs, this.logsOf(validation, 'val_'));
    const examples = this.progress.examples - examplesBefore;
    const samplesPerSecond = examples > 0 && trainMs > 0 ? (examples / trainMs) * 1000 : 0;
    this.args.record(epoch, logs, { samplesPerSecond, trainMs });
    this.progress = { epoch: epoch + 1, batch: 0, lossSum: 0, metricSums: [], examples: 0 };
    // The next epoch's order comes from the stream as it stands now.
    this.rngAtEpochStart = this.rng.getState();
    await callbacks.onEpochEnd(epoch, logs);
    if (this.args.verbose > 0) {
      const ms = performance.now() - begun;
      this.args.printFn(
        epochLine(epoch, this.args.epochs, this.batches, ms, logs, samplesPerSecond),
      );
    }
    return logs;
  }

  private drawOrder(): void {
    const { order, samples, shuffle } = this.args;
    if (shuffle) order.set(this.rng.stream('shuffle').permutation(samples));
    else for (let i = 0; i < samples; i++) order[i] = i;
  }

  private async checkAbort(): Promise<void> {
    if (this.args.signal?.aborted !== true) return;
    await this.args.callbacks.onInterrupt();
    throw this.args.abortError?.() ?? new Error('fit: training aborted');
  }

  /**
   * One run of steps from the current batch (the one posted already, or a new one), its
   * batch hooks, and what stopped it.
   */
  private async steps(): Promise<void> {
    const { callbacks, model } = this.args;
    const b = this.progress.batch;
    const batchHooks = callbacks.wantsBatches;
    if (batchHooks) await callbacks.onBatchBegin(b);
    const posted = this.posted ?? this.post(b, this.iteration);
    this.posted = undefined;
    const result = await posted.result;
    const first = posted.run.iteration;
    if (posted.run.continued === true) this.follow(posted.run, result);
    try {
      for (let j = 0; j < result.applied; j++) {
        // onBatchBegin sees the counters before the step, onBatchEnd after it, as in-process.
        // Awaited only when a hook returned a promise (CallbackList.onBatchBegin).
        const begun = batchHooks && j > 0 ? callbacks.onBatchBegin(b + j) : undefined;
        if (begun !== undefined) await begun;
        const step = result.step(j);
        this.iteration = first + j;
        this.add(step);
        this.progress.batch = b + j + 1;
        const ended = batchHooks ? callbacks.onBatchEnd(b + j, this.logsOf(step)) : undefined;
        if (ended !== undefined) await ended;
      }
    } catch (err) {
      await this.drain();
      throw err;
    }
    if (result.error !== undefined) throw result.error;
    if (result.skipped !== undefined) {
      // The skipped step began too (its onBatchBegin, unless it was the run's first), but
      // it has no onBatchEnd: it changed nothing.
      const at = result.applied;
      if (batchHooks && at > 0) await callbacks.onBatchBegin(b + at);
      if (result.skipped === 'nonFinite')
        callbacks.onNonFiniteLoss(first + at, this.logsOf(result.step(at)));
      model.stopTraining = true;
    }
  }

  /**
   * Posts the run from batch `b` after iteration `iteration`: as many steps as the runner
   * takes, up to the epoch's end and the callbacks' next stop (one under a veto).
   */
  private post(b: number, iteration: number): PostedRun {
    const { callbacks, runner } = this.args;
    const veto = callbacks.wantsVeto;
    const limit = Math.min(this.batches - b, callbacks.nextStop(iteration) - iteration);
    const count = veto ? 1 : Math.max(1, Math.min(runner.runLength(), limit));
    const first = iteration + 1;
    const continued =
      !veto && count < limit && runner.overlaps?.() === true && callbacks.batchHooksReadLogsOnly;
    const run: StepRun = {
      batch: b,
      iteration: first,
      steps: count,
      guardLoss: callbacks.guardsLoss,
      ...(continued ? { continued } : {}),
      ...(veto
        ? { allow: (step: Measured) => callbacks.beforeUpdate(first, this.logsOf(step)) }
        : {}),
    };
    const result = runner.run(run);
    // Awaited later, after the hooks of the run before: not an unhandled rejection meanwhile.
    result.catch(() => {});
    return { run, result };
  }

  /**
   * After a `continued` run: posts the next one, unless a run stopped early (the runner
   * settled then), or an abort or a stop came (the state is settled here).
   */
  private follow(run: StepRun, result: RunResult): void {
    if (!appliedAll(run, result)) return;
    if (this.args.signal?.aborted === true || this.args.model.stopTraining) {
      this.args.runner.settle?.();
      return;
    }
    this.posted = this.post(run.batch + run.steps, run.iteration + run.steps - 1);
  }

  /** A batch hook failed: lets the run in flight end (its outcome is not reported) and settles the state. */
  private async drain(): Promise<void> {
    const posted = this.posted;
    if (posted === undefined) return;
    this.posted = undefined;
    const result = await posted.result.catch(() => undefined);
    if (result !== undefined && posted.run.continued === true && appliedAll(posted.run, result)) {
      this.args.runner.settle?.();
    }
  }

  /** Adds an applied step to the epoch's sums (in place: no allocation per step). */
  private add(step: Measured): void {
    const p = this.progress;
    const n = step.examples;
    p.lossSum += step.loss * n;
    const sums = p.metricSums;
    for (let i = 0; i < step.statistics.length; i++)
      sums[i] = (sums[i] ?? 0) + (step.statistics[i] as number) * n;
    p.examples += n;
  }

  /** The epoch's training logs so far: means over its applied steps' rows. */
  private epochLogs(): Logs {
    const p = this.progress;
    const rows = Math.max(1, p.examples);
    const means = Array.from(
      { length: this.args.statistics.size },
      (_, i) => (p.metricSums[i] ?? 0) / rows,
    );
    return this.logsOf({ loss: p.lossSum / rows, statistics: means, examples: p.examples });
  }

  /** `{ loss, <metric>… }` (with `prefix`), metrics from the statistics of all the rows. */
  private logsOf(measured: Measured, prefix = ''): Logs {
    const logs: Logs = { [`${prefix}loss`]: measured.loss };
    const values = this.args.statistics.values(measured.statistics, measured.examples);
    this.args.metricNames.forEach((name, i) => {
      logs[`${prefix}${name}`] = values[i] as number;
    });
    return logs;
  }
}

/** Whether `result` applied every step of `run`, with no error. */
function appliedAll(run: StepRun, result: RunResult): boolean {
  return result.applied === run.steps && result.error === undefined && result.skipped === undefined;
}

/**
 * The line printed after each epoch when verbose:
 * `Epoch 2/5 - 12 steps - 340ms - loss: 0.4123 - accuracy: 0.8800 - val_loss: … - 4521 samples/s`
 * (the time is the epoch's, validation and callbacks included; samples/s counts training time).
 */
export function epochLine(
  epoch: number,
  epochs: number,
  steps: number,
  ms: number,
  logs: Logs,
  samplesPerSecond: number,
): string {
  const values = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`);
  return [
    `Epoch ${epoch + 1}/${epochs}`,
    `${steps} steps`,
    `${Math.round(ms)}ms`,
    ...values,
    `${Math.round(samplesPerSecond)} samples/s`,
  ].join(' - ');
}
