/**
 * One data-parallel training run: @tessera/layers' epoch loop (the one `model.fit` runs
 * too: callbacks, history, validation timing, stops, epoch lines) driving the worker
 * threads through a WorkerRunner. See docs/architecture.md, "One epoch loop".
 *
 * A run of steps is posted to the worker loops (loops.ts, protocol in step-channel.ts):
 * each worker computes the gradient of its shard of the global batch, waits at a barrier
 * for the others, then sums the shards' gradients over its slice of the parameter vector
 * in fixed order and applies the optimizer there, state included. A failed gradient phase
 * has written only gradient slots; a failed update phase is rolled back from the
 * per-slice backups. Either way the step fails as a whole and the weights are those after
 * the previous step.
 */
import { performance } from 'node:perf_hooks';
import { type RngState, StateError } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import {
  EpochLoop,
  type LoopStart,
  type Measured,
  type MetricStatistics,
  type Model,
  type Optimizer,
  type RunResult,
  type StepRun,
  type StepRunner,
} from '@tessera/layers';
import type { TrainerCallbackList, TrainerContext } from './callbacks/callback.js';
import type { CheckpointData, EpochProgress } from './checkpoint.js';
import { TrainingAbortedError, WorkerError } from './errors.js';
import type { EpochTiming, TrainingHistory } from './history.js';
import { type RunLayout, WorkerLoops } from './loops.js';
import type { WorkerPool } from './pool.js';
import type { EvaluateResult } from './protocol.js';
import { rehearse, UNIT_SPLIT_REHEARSAL } from './rehearsal.js';
import { type Range, splitAligned, splitEvenly } from './sharding.js';
import type { SharedTrainingState } from './shared-state.js';
import { MAX_RUN, type WorkerResult } from './step-channel.js';

/**
 * Target wall time of one run of steps, in milliseconds. Between two runs the workers wait
 * for the main thread (it wakes, runs the batch callbacks, posts the next run; the workers
 * wake): 1–3 ms here, and up to 10 when another thread has a core, so longer runs pay it
 * less often; the progress bar still hears from the workers 10 times a second. 50 ms (and
 * at most 64 steps) measured ten of these waits in a 0.35 s epoch (MNIST, batch 128, two
 * workers). When the callbacks' batch hooks only read their logs, the next run is posted
 * before they are called (`continued` runs, the layers package's epoch-loop.ts), and the
 * wait is only the main thread's wake-up and post.
 */
const RUN_MS = 100;

export interface RunSettings {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  workers: number;
  verbose: 0 | 1 | 2;
  printFn: (line: string) => void;
  signal: AbortSignal | undefined;
  /** Milliseconds a step phase may take before the missing worker is stopped. */
  stepTimeoutMs: number | undefined;
}

export interface RunParts {
  model: Model;
  optimizer: Optimizer;
  metricNames: string[];
  /**
   * Workers report metric statistics (see MetricStatistics), summed here weighted by rows;
   * this turns them into metric values. `progress.metricSums` holds statistic sums.
   */
  metricStatistics: MetricStatistics;
  state: SharedTrainingState;
  pool: WorkerPool;
  train: Dataset;
  validation: Dataset | undefined;
  callbacks: TrainerCallbackList;
  history: TrainingHistory;
  /** Floats at the start of the parameter vector that the optimizer updates (the trainable weights). */
  trainableLength: number;
  /** Writes constrained weights back after each update (no-op for models without constraints). */
  applyConstraints: () => void;
  /** Whether the model has constrained weights (then every step returns to the main thread). */
  constrained: boolean;
  /** Builds the checkpoint of the current state. */
  capture: (progress: EpochProgress, rng: RngState) => CheckpointData;
  /** Where the last interrupt checkpoint went, if any. */
  interruptCheckpoint: () => string | undefined;
  /** The hidden kernel's layout during runs split by hidden units (unit-split-layout.ts). */
  layout?: RunLayout;
}

/** Where to start: fresh, or from a checkpoint. */
export type StartPoint = LoopStart;

/** The epoch loop over the worker threads; `iteration` and `capture` serve the callbacks. */
export class TrainingRun {
  private readonly loop: EpochLoop<TrainerContext>;
  private readonly runner: WorkerRunner;

  constructor(
    private readonly settings: RunSettings,
    private readonly parts: RunParts,
    start: StartPoint,
  ) {
    this.runner = new WorkerRunner(settings, parts, () => this.loop.iteration);
    this.loop = new EpochLoop<TrainerContext>({
      model: parts.model,
      callbacks: parts.callbacks,
      runner: this.runner,
      record: (epoch, logs, measures) =>
        parts.history.record(
          epoch,
          logs,
          measures.samplesPerSecond,
          this.runner.epochTiming(measures.trainMs),
          this.runner.workerTensors,
        ),
      metricNames: parts.metricNames,
      statistics: parts.metricStatistics,
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      samples: parts.train.size,
      order: parts.state.permutation,
      shuffle: settings.shuffle,
      start,
      verbose: settings.verbose,
      printFn: settings.printFn,
      signal: settings.signal,
      abortError: () => this.abortError(),
    });
  }

  /** Optimizer updates applied so far. */
  get iteration(): number {
    return this.loop.iteration;
  }

  /** State for a checkpoint taken now. */
  capture(): CheckpointData {
    return this.parts.capture(this.loop.progress, this.loop.rngAtEpochStart);
  }

  async run(): Promise<void> {
    try {
      if (this.loop.progress.epoch < this.settings.epochs) {
        const { epoch, batch } = this.loop.progress;
        const left = (this.settings.epochs - epoch) * this.loop.params.steps - batch;
        await this.runner.rehearse(this.loop.iteration + 1, left);
      }
      await this.loop.run();
    } finally {
      await this.runner.close();
    }
  }

  /** The error an abort ends `fit` with, once the callbacks' onInterrupt saved what they save. */
  private abortError(): TrainingAbortedError {
    const { epoch, batch } = this.loop.progress;
    const where = this.parts.interruptCheckpoint();
    return new TrainingAbortedError(
      `fit: training aborted at epoch ${epoch + 1}, batch ${batch} (step ${this.loop.iteration})` +
        (where === undefined
          ? '; no checkpoint folder was configured, so nothing was saved'
          : `; checkpoint saved to ${where}`),
      where,
    );
  }
}

/** How the trainer executes the epoch loop's runs of steps: on the worker loops. */
class WorkerRunner implements StepRunner {
  /** Tensors alive in each worker after the last applied step. */
  workerTensors: number[] = [];
  /**
   * The worker loops, with what the callbacks ask of every step (a veto, the loss guard):
   * the same for the whole fit, since the callbacks are.
   */
  private readonly loops: WorkerLoops;
  /** Each worker's slice of the trainable parameters (its backups, on in-place steps). */
  private readonly slices: Range[];
  private timing: EpochTiming = { computeMs: 0, reduceUpdateMs: 0, waitingMs: 0, otherMs: 0 };
  /** Wall milliseconds per step of the last run (0 before the first). */
  private msPerStep = 0;
  /** The step results handed to the loop, reused from step to step. */
  private readonly measured: { loss: number; statistics: Float64Array; examples: number };

  constructor(
    private readonly settings: RunSettings,
    private readonly parts: RunParts,
    private readonly iteration: () => number,
  ) {
    this.slices = splitAligned(parts.trainableLength, settings.workers);
    this.loops = new WorkerLoops(parts.pool, parts.state, this.slices, {
      timeoutMs: settings.stepTimeoutMs,
      veto: parts.callbacks.wantsVeto,
      guardLoss: parts.callbacks.guardsLoss,
      ...(parts.layout === undefined ? {} : { layout: parts.layout }),
    });
    this.measured = {
      loss: 0,
      statistics: new Float64Array(parts.metricStatistics.size),
      examples: 0,
    };
  }

  /**
   * Steps in the next run: as many as take about RUN_MS at the last measured pace (the last
   * run's, or the rehearsal's before the first run), so the main thread, and callbacks that
   * watch batches, hear from the workers several times a second; at most MAX_RUN; one at
   * a time when constraints are applied after each update.
   */
  runLength(): number {
    if (this.parts.constrained) return 1;
    if (!(this.msPerStep > 0)) return 4;
    return Math.max(1, Math.min(MAX_RUN, Math.round(RUN_MS / this.msPerStep)));
  }

  /**
   * Runs may go on while the main thread calls the batch hooks of the one before
   * (epoch-loop.ts, "Overlap"), except where the main thread applies constraints after
   * every update.
   */
  overlaps(): boolean {
    return !this.parts.constrained;
  }

  /** After a `continued` run that no run follows: the store back in the main thread's layout. */
  settle(): void {
    this.loops.settle();
  }

  startEpoch(): void {
    this.timing = { computeMs: 0, reduceUpdateMs: 0, waitingMs: 0, otherMs: 0 };
  }

  /** The finished epoch's timing; `trainMs` is its training wall time. */
  epochTiming(trainMs: number): EpochTiming {
    const t = this.timing;
    t.otherMs = Math.max(0, trainMs - t.computeMs - t.reduceUpdateMs);
    return t;
  }

  async run(run: StepRun): Promise<RunResult> {
    const { batchSize } = this.settings;
    const { optimizer } = this.parts;
    if ((run.allow !== undefined) !== this.loops.options.veto) {
      throw new StateError(
        `fit: the worker loops were started ${this.loops.options.veto ? 'with' : 'without'} a veto of each update, but this run of steps asks the opposite`,
      );
    }
    const t0 = performance.now();
    const outcome = await this.loops.run(
      {
        iteration: run.iteration,
        start: run.batch * batchSize,
        batchSize,
        total: this.parts.train.size,
        steps: run.steps,
        learningRate: plainLearningRate(optimizer),
      },
      (results) => run.allow?.(this.combine(results, run.batch)) ?? true,
      run.continued === true,
    );
    const wall = performance.now() - t0;
    const steps = outcome.steps;
    if (steps.length > 0) this.msPerStep = wall / steps.length;
    if (outcome.error !== undefined && steps.length === 0) throw outcome.error;
    const applied = outcome.updated ? steps.length : (outcome.applied ?? 0);
    for (let j = 0; j < applied; j++) this.addTiming(steps[j]!);
    if (applied > 0) {
      this.workerTensors = steps[applied - 1]!.map((r) => r.tensors);
      if (this.parts.constrained) this.parts.applyConstraints();
    }
    this.timing.computeMs += Math.max(0, wall - this.runUpdateMs(steps));
    const skipped =
      outcome.error === undefined && !outcome.updated
        ? outcome.nonFiniteAt !== undefined
          ? 'nonFinite'
          : 'veto'
        : undefined;
    return {
      applied,
      ...(skipped === undefined ? {} : { skipped }),
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      step: (j) => this.combine(steps[j]!, run.batch + j),
    };
  }

  /**
   * The rehearsal before the first epoch (rehearsal.ts), on this run's loops, for a fit
   * with `trainingSteps` steps left.
   */
  async rehearse(iteration: number, trainingSteps: number): Promise<void> {
    const { optimizer, state, train } = this.parts;
    const rehearsed = await rehearse({
      loops: this.loops,
      state,
      iteration,
      batchSize: this.settings.batchSize,
      examples: train.size,
      trainingSteps,
      learningRate: plainLearningRate(optimizer),
      ...(this.parts.layout === undefined ? {} : { limits: UNIT_SPLIT_REHEARSAL }),
    });
    if (rehearsed.msPerStep > 0) this.msPerStep = rehearsed.msPerStep;
  }

  /** Validation metrics computed by the workers, as pool tasks over ranges of the set. */
  async validate(): Promise<Measured | undefined> {
    const validation = this.parts.validation;
    if (validation === undefined || validation.size === 0) return undefined;
    // Evaluation runs as pool tasks: the step loops must leave their threads first.
    await this.close();
    const measured = await this.evaluate(validation.size);
    // Started again at once: they get going while the main thread ends the epoch and
    // begins the next (callbacks, checkpoints, the next order) instead of after it.
    this.loops.start();
    return measured;
  }

  /** The workers' evaluation of the validation set's `size` examples, summed. */
  private async evaluate(size: number): Promise<Measured> {
    const ranges = splitEvenly(0, size, this.settings.workers);
    const parts = await Promise.all(
      ranges.map((r, worker) =>
        this.parts.pool
          // A validation range is many steps' worth of work: no step timeout applies.
          .run<EvaluateResult>({
            kind: 'evaluate',
            worker,
            split: 'validation',
            start: r.start,
            end: r.end,
          })
          .catch((cause) => {
            throw new WorkerError({
              worker,
              iteration: this.iteration(),
              phase: 'validating',
              cause,
            });
          }),
      ),
    );
    const total = parts.reduce((s, r) => s + r.examples, 0);
    const statistics = Array.from(
      { length: this.parts.metricStatistics.size },
      (_, i) => parts.reduce((s, r) => s + (r.metricSums[i] ?? 0), 0) / total,
    );
    return { loss: parts.reduce((s, r) => s + r.lossSum, 0) / total, statistics, examples: total };
  }

  /** Ends the worker loops (they start again with the next run). */
  async close(): Promise<void> {
    await this.loops.stop();
  }

  /**
   * Batch `batch`'s loss and metric statistics: the workers' values weighted by the examples
   * each reported (a worker that reported none weighs nothing). Fills the reused object.
   */
  private combine(results: readonly WorkerResult[], batch: number): Measured {
    const { batchSize } = this.settings;
    const count = Math.min(batchSize, this.parts.train.size - batch * batchSize);
    const out = this.measured;
    out.loss = 0;
    out.statistics.fill(0);
    out.examples = count;
    for (const r of results) {
      const weight = r.examples / count;
      out.loss += r.loss * weight;
      for (let i = 0; i < out.statistics.length; i++)
        out.statistics[i]! += (r.metrics[i] ?? 0) * weight;
    }
    return out;
  }

  /**
   * Adds a step's times: the slowest worker's reduce + update is the update phase (the
   * rest of the run's wall time is the gradient phase); the workers' waits for one
   * another average into waitingMs.
   */
  private addTiming(results: WorkerResult[]): void {
    this.timing.reduceUpdateMs += Math.max(...results.map((r) => r.updateMs));
    this.timing.waitingMs += results.reduce((s, r) => s + r.waitMs, 0) / results.length;
  }

  /** The update phases of a run's steps, summed. */
  private runUpdateMs(steps: WorkerResult[][]): number {
    return steps.reduce((s, results) => s + Math.max(...results.map((r) => r.updateMs)), 0);
  }
}

/** The optimizer's learning rate when it is a plain number (the workers read it), else undefined (a schedule). */
function plainLearningRate(optimizer: Optimizer): number | undefined {
  return typeof optimizer.learningRate === 'number' ? optimizer.learningRate : undefined;
}
