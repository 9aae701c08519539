/**
 * One data-parallel training run: the epoch and step loop of docs/architecture.md's data flow.
 *
 * A step is posted to the worker loops (loops.ts, protocol in step-channel.ts): each
 * worker computes the gradient of its shard of the global batch, waits at a barrier for
 * the others, then sums the shards' gradients over its slice of the parameter vector in
 * fixed order and applies the optimizer there, state included. A failed gradient phase
 * has written only gradient slots; a failed update phase is rolled back from the
 * per-slice backups. Either way the step fails as a whole and the weights are those after
 * the previous step.
 */
import { performance } from 'node:perf_hooks';
import { Rng, type RngState } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import type { MetricStatistics, Model, Optimizer } from '@tessera/layers';
import type { Logs, TrainerCallbackList } from './callbacks/callback.js';
import type { CheckpointData, EpochProgress } from './checkpoint.js';
import { TrainingAbortedError, WorkerError } from './errors.js';
import type { EpochTiming, TrainingHistory } from './history.js';
import { WorkerLoops } from './loops.js';
import type { WorkerPool } from './pool.js';
import type { EvaluateResult } from './protocol.js';
import { splitAligned, splitEvenly } from './sharding.js';
import type { SharedTrainingState } from './shared-state.js';
import { MAX_RUN, type WorkerResult } from './step-channel.js';

/** Target wall time of one run of steps, in milliseconds. */
const RUN_MS = 50;

export interface RunSettings {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  workers: number;
  verbose: 0 | 1;
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
}

/** Where to start: fresh, or from a checkpoint. */
export interface StartPoint {
  iteration: number;
  progress: EpochProgress;
  rng: RngState;
}

export class TrainingRun {
  iteration: number;
  progress: EpochProgress;
  private rng: Rng;
  private rngAtEpochStart: RngState;
  private readonly loops: WorkerLoops;
  private timing: EpochTiming = { computeMs: 0, reduceUpdateMs: 0, waitingMs: 0, otherMs: 0 };
  private stoppedByCallback = false;
  private workerTensors: number[] = [];
  /** Wall milliseconds per step of the last run (0 before the first). */
  private msPerStep = 0;

  constructor(
    private readonly settings: RunSettings,
    private readonly parts: RunParts,
    start: StartPoint,
  ) {
    this.iteration = start.iteration;
    this.progress = { ...start.progress, metricSums: [...start.progress.metricSums] };
    this.rng = Rng.fromState(start.rng);
    this.rngAtEpochStart = start.rng;
    this.loops = new WorkerLoops(
      parts.pool,
      parts.state,
      splitAligned(parts.trainableLength, settings.workers),
      {
        timeoutMs: settings.stepTimeoutMs,
        veto: parts.callbacks.wantsVeto,
        guardLoss: parts.callbacks.guardsLoss,
      },
    );
  }

  /** State for a checkpoint taken now. */
  capture(): CheckpointData {
    return this.parts.capture(this.progress, this.rngAtEpochStart);
  }

  async run(): Promise<void> {
    try {
      await this.epochs();
    } finally {
      await this.loops.stop();
    }
  }

  private async epochs(): Promise<void> {
    const { callbacks, model } = this.parts;
    model.stopTraining = false;
    await callbacks.onTrainBegin();
    const n = this.parts.train.size;
    const batches = Math.ceil(n / this.settings.batchSize);
    while (this.progress.epoch < this.settings.epochs && !model.stopTraining) {
      const epoch = this.progress.epoch;
      const resumedMidEpoch = this.progress.batch > 0;
      this.rngAtEpochStart = this.rng.getState();
      this.drawOrder(n);
      if (!resumedMidEpoch) await callbacks.onEpochBegin(epoch);
      const epochStart = performance.now();
      this.timing = { computeMs: 0, reduceUpdateMs: 0, waitingMs: 0, otherMs: 0 };
      const examplesBefore = this.progress.examples;
      // A callback that may veto an update, or constraints to apply, take one step at a
      // time; otherwise the workers run several steps on their own, and callbacks that
      // see every batch see them after each run.
      const oneStep = callbacks.wantsVeto || this.parts.constrained;
      while (this.progress.batch < batches && !model.stopTraining) {
        await this.checkAbort();
        const b = this.progress.batch;
        const limit = Math.min(batches - b, callbacks.nextStop(this.iteration) - this.iteration);
        if (!(await this.steps(b, oneStep ? 1 : Math.min(this.runLength(), limit)))) break;
      }
      if (this.stoppedByCallback) break;
      const trainMs = performance.now() - epochStart;
      const examples = this.progress.examples - examplesBefore;
      this.timing.otherMs = Math.max(
        0,
        trainMs - this.timing.computeMs - this.timing.reduceUpdateMs,
      );
      if (this.progress.batch < batches) break; // stopped inside the epoch: no epoch-end logs
      const logs = await this.epochLogs();
      const samplesPerSecond = examples > 0 && trainMs > 0 ? (examples / trainMs) * 1000 : 0;
      this.parts.history.record(epoch, logs, samplesPerSecond, this.timing, this.workerTensors);
      this.progress = { epoch: epoch + 1, batch: 0, lossSum: 0, metricSums: [], examples: 0 };
      // The next epoch's permutation comes from the stream as it stands now.
      this.rngAtEpochStart = this.rng.getState();
      if (this.settings.verbose === 1)
        this.settings.printFn(formatEpoch(epoch, this.settings.epochs, logs, samplesPerSecond));
      await callbacks.onEpochEnd(epoch, logs);
    }
    await callbacks.onTrainEnd(
      this.parts.history.history ? lastLogs(this.parts.history.history) : {},
    );
  }

  private drawOrder(n: number): void {
    const order = this.parts.state.permutation;
    if (this.settings.shuffle) {
      order.set(this.rng.stream('shuffle').permutation(n));
    } else {
      for (let i = 0; i < n; i++) order[i] = i;
    }
  }

  private async checkAbort(): Promise<void> {
    const signal = this.settings.signal;
    if (signal?.aborted !== true) return;
    await this.parts.callbacks.onInterrupt();
    const where = this.parts.interruptCheckpoint();
    throw new TrainingAbortedError(
      `fit: training aborted at epoch ${this.progress.epoch + 1}, batch ${this.progress.batch} (step ${this.iteration})` +
        (where === undefined
          ? '; no checkpoint folder was configured, so nothing was saved'
          : `; checkpoint saved to ${where}`),
      where,
    );
  }

  /**
   * Steps on batches b … b + count - 1 (one run of the worker loops), then each step's
   * batch hooks. Returns false when a callback vetoed the update. A worker failure throws
   * its WorkerError after the steps completed before it are recorded (and their hooks run).
   */
  private async steps(b: number, count: number): Promise<boolean> {
    const { callbacks, optimizer } = this.parts;
    const { batchSize } = this.settings;
    const n = this.parts.train.size;
    const examplesOf = (batch: number): number => Math.min(batchSize, n - batch * batchSize);
    const first = this.iteration + 1;
    const t0 = performance.now();
    const outcome = await this.loops.run(
      {
        iteration: first,
        start: b * batchSize,
        batchSize,
        total: n,
        steps: count,
        learningRate:
          typeof optimizer.learningRate === 'number' ? optimizer.learningRate : undefined,
      },
      (results) => callbacks.beforeUpdate(first, this.stepLogs(results, examplesOf(b)).logs),
    );
    const wall = performance.now() - t0;
    if (outcome.steps.length > 0) this.msPerStep = wall / outcome.steps.length;
    if (outcome.error !== undefined && outcome.steps.length === 0) throw outcome.error;
    const applied = outcome.updated ? outcome.steps.length : (outcome.applied ?? 0);
    for (let j = 0; j < applied; j++) {
      const all = outcome.steps[j]!;
      // A worker that reported no examples (past the last shard, or whose rows another
      // worker reported) weighs nothing in the step's logs.
      const results = all;
      const count = examplesOf(b + j);
      const step = this.stepLogs(results, count);
      this.iteration = first + j;
      this.parts.applyConstraints();
      this.progress.lossSum += step.loss * count;
      this.progress.metricSums = step.metrics.map(
        (m, i) => (this.progress.metricSums[i] ?? 0) + m * count,
      );
      this.progress.examples += count;
      this.progress.batch = b + j + 1;
      this.workerTensors = results.map((r) => r.tensors);
      this.addTiming(all);
      // The weights are those after the run's last step: a callback that reads them at a
      // step of its own asked for the run to end there (nextStop).
      if (callbacks.wantsBatches) {
        await callbacks.onBatchBegin(b + j);
        await callbacks.onBatchEnd(b + j, step.logs);
      }
    }
    this.timing.computeMs += Math.max(0, wall - this.runUpdateMs(outcome.steps));
    if (outcome.error !== undefined) throw outcome.error;
    if (!outcome.updated) {
      // A veto, or the loss guard: the update of the last computed step was skipped.
      if (outcome.nonFiniteAt !== undefined) {
        const last = outcome.steps[outcome.steps.length - 1]!;
        callbacks.onNonFiniteLoss(
          outcome.nonFiniteAt,
          this.stepLogs(last, examplesOf(b + applied)).logs,
        );
      }
      this.stoppedByCallback = true;
      this.parts.model.stopTraining = true;
      return false;
    }
    return true;
  }

  /**
   * Steps in the next run: as many as take about RUN_MS at the last measured pace (so the
   * main thread, and callbacks that watch batches, hear from the workers several times a
   * second), at most MAX_RUN.
   */
  private runLength(): number {
    if (!(this.msPerStep > 0)) return 4;
    return Math.max(1, Math.min(MAX_RUN, Math.round(RUN_MS / this.msPerStep)));
  }

  /**
   * The batch's loss and metrics: the workers' loss and metric statistics weighted by the
   * examples each reported, then the metrics from the statistics of the whole batch.
   */
  private stepLogs(
    results: WorkerResult[],
    count: number,
  ): { logs: Logs; loss: number; metrics: number[] } {
    let loss = 0;
    const metrics = new Array<number>(this.parts.metricStatistics.size).fill(0);
    for (const r of results) {
      loss += (r.loss * r.examples) / count;
      r.metrics.forEach((m, i) => {
        metrics[i] = (metrics[i] ?? 0) + (m * r.examples) / count;
      });
    }
    const values = this.parts.metricStatistics.values(metrics, count);
    const logs: Logs = {
      loss,
      ...Object.fromEntries(this.parts.metricNames.map((name, i) => [name, values[i]!])),
    };
    return { logs, loss, metrics };
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

  /** The finished epoch's training means, plus validation metrics computed by the workers. */
  private async epochLogs(): Promise<Logs> {
    const p = this.progress;
    const logs: Logs = { loss: p.lossSum / Math.max(1, p.examples) };
    const rows = Math.max(1, p.examples);
    const stats = this.parts.metricStatistics;
    const values = stats.values(
      Array.from({ length: stats.size }, (_, i) => (p.metricSums[i] ?? 0) / rows),
      p.examples,
    );
    this.parts.metricNames.forEach((name, i) => {
      logs[name] = values[i]!;
    });
    const validation = this.parts.validation;
    if (validation !== undefined && validation.size > 0) {
      // Evaluation runs as pool tasks: the step loops must leave their threads first.
      await this.loops.stop();
      const ranges = splitEvenly(0, validation.size, this.settings.workers);
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
                iteration: this.iteration,
                phase: 'validating',
                cause,
              });
            }),
        ),
      );
      const total = parts.reduce((s, r) => s + r.examples, 0);
      logs['val_loss'] = parts.reduce((s, r) => s + r.lossSum, 0) / total;
      const means = Array.from(
        { length: stats.size },
        (_, i) => parts.reduce((s, r) => s + (r.metricSums[i] ?? 0), 0) / total,
      );
      const valValues = stats.values(means, total);
      this.parts.metricNames.forEach((name, i) => {
        logs[`val_${name}`] = valValues[i]!;
      });
    }
    return logs;
  }
}

function lastLogs(history: Record<string, number[]>): Logs {
  const out: Logs = {};
  for (const [k, v] of Object.entries(history)) if (v.length > 0) out[k] = v[v.length - 1]!;
  return out;
}

function formatEpoch(epoch: number, epochs: number, logs: Logs, samplesPerSecond: number): string {
  const parts = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`);
  return `Epoch ${epoch + 1}/${epochs} - ${parts.join(' - ')} - ${Math.round(samplesPerSecond)} samples/s`;
}
