/**
 * One data-parallel training run: the epoch and step loop of DESIGN.md's data flow.
 *
 * A step: reset the sequence counters; send one gradient task per shard of the global
 * batch; when every shard is done, send one update task per parameter slice (each sums
 * the shards' gradients in fixed order and applies the optimizer to its slice, state
 * included). A failed gradient phase has written only gradient slots; a failed update
 * phase is rolled back from the per-slice backups. Either way the step fails as a whole
 * and the weights are those after the previous step.
 */
import { performance } from 'node:perf_hooks';
import { Rng, type RngState } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import type { Model, Optimizer } from '@tessera/layers';
import type { CallbackList, Logs } from './callbacks/callback.js';
import type { CheckpointData, EpochProgress } from './checkpoint.js';
import { TrainingAbortedError, WorkerError } from './errors.js';
import type { EpochTiming, TrainingHistory } from './history.js';
import type { WorkerPool } from './pool.js';
import type { EvaluateResult, GradientResult, UpdateResult } from './protocol.js';
import { type Range, splitAligned, splitEvenly } from './sharding.js';
import { Control, type SharedTrainingState } from './shared-state.js';

export interface RunSettings {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  workers: number;
  verbose: 0 | 1;
  printFn: (line: string) => void;
  signal: AbortSignal | undefined;
}

export interface RunParts {
  model: Model;
  optimizer: Optimizer;
  metricNames: string[];
  state: SharedTrainingState;
  pool: WorkerPool;
  train: Dataset;
  validation: Dataset | undefined;
  callbacks: CallbackList;
  history: TrainingHistory;
  /** Floats at the start of the parameter vector that the optimizer updates (the trainable weights). */
  trainableLength: number;
  /** Writes constrained weights back after each update (no-op for models without constraints). */
  applyConstraints: () => void;
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
  private readonly slices: Range[];
  private timing: EpochTiming = { computeMs: 0, reduceUpdateMs: 0, waitingMs: 0, otherMs: 0 };
  private stoppedByCallback = false;
  private workerTensors: number[] = [];

  constructor(
    private readonly settings: RunSettings,
    private readonly parts: RunParts,
    start: StartPoint,
  ) {
    this.iteration = start.iteration;
    this.progress = { ...start.progress, metricSums: [...start.progress.metricSums] };
    this.rng = Rng.fromState(start.rng);
    this.rngAtEpochStart = start.rng;
    this.slices = splitAligned(parts.trainableLength, settings.workers);
  }

  /** State for a checkpoint taken now. */
  capture(): CheckpointData {
    return this.parts.capture(this.progress, this.rngAtEpochStart);
  }

  async run(): Promise<void> {
    const { callbacks, model } = this.parts;
    model.stopTraining = false;
    await callbacks.trainBegin();
    const n = this.parts.train.size;
    const batches = Math.ceil(n / this.settings.batchSize);
    while (this.progress.epoch < this.settings.epochs && !model.stopTraining) {
      const epoch = this.progress.epoch;
      const resumedMidEpoch = this.progress.batch > 0;
      this.rngAtEpochStart = this.rng.getState();
      this.drawOrder(n);
      if (!resumedMidEpoch) await callbacks.epochBegin(epoch);
      const epochStart = performance.now();
      this.timing = { computeMs: 0, reduceUpdateMs: 0, waitingMs: 0, otherMs: 0 };
      const examplesBefore = this.progress.examples;
      for (let b = this.progress.batch; b < batches && !model.stopTraining; b++) {
        await this.checkAbort();
        if (callbacks.wantsBatches) await callbacks.batchBegin(b);
        const logs = await this.step(b);
        if (logs === undefined) break;
        this.progress.batch = b + 1;
        if (callbacks.wantsBatches) await callbacks.batchEnd(b, logs);
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
      await callbacks.epochEnd(epoch, logs);
    }
    await callbacks.trainEnd(
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
    await this.parts.callbacks.interrupt();
    const where = this.parts.interruptCheckpoint();
    throw new TrainingAbortedError(
      `fit: training aborted at epoch ${this.progress.epoch + 1}, batch ${this.progress.batch} (step ${this.iteration})` +
        (where === undefined
          ? '; no checkpoint folder was configured, so nothing was saved'
          : `; checkpoint saved to ${where}`),
      where,
    );
  }

  /** One optimizer step on batch b; undefined when a callback vetoed the update. */
  private async step(b: number): Promise<Logs | undefined> {
    const { pool, state, callbacks } = this.parts;
    const { batchSize, workers } = this.settings;
    const n = this.parts.train.size;
    const start = b * batchSize;
    const end = Math.min(start + batchSize, n);
    const iteration = this.iteration + 1;
    const shards = splitEvenly(start, end, workers);
    Atomics.store(state.control, Control.GRAD_DONE, 0);
    Atomics.store(state.control, Control.UPDATE_DONE, 0);

    const t0 = performance.now();
    const grads = await Promise.allSettled(
      shards.map((r, shard) =>
        pool.run<GradientResult>({
          kind: 'gradients',
          iteration,
          shard,
          start: r.start,
          end: r.end,
          batchSize: end - start,
        }),
      ),
    );
    const t1 = performance.now();
    const results = grads.map((g, shard) => {
      if (g.status === 'rejected')
        throw new WorkerError({
          worker: shard,
          iteration,
          phase: 'computing gradients',
          cause: g.reason,
        });
      return g.value;
    });
    const count = end - start;
    let loss = 0;
    const metrics = new Array<number>(this.parts.metricNames.length).fill(0);
    for (const r of results) {
      loss += (r.loss * r.examples) / count;
      r.metrics.forEach((m, i) => {
        metrics[i] = (metrics[i] ?? 0) + (m * r.examples) / count;
      });
    }
    const logs: Logs = {
      loss,
      ...Object.fromEntries(this.parts.metricNames.map((name, i) => [name, metrics[i]!])),
    };
    if (!callbacks.allowUpdate(iteration, logs)) {
      this.stoppedByCallback = true;
      this.parts.model.stopTraining = true;
      return undefined;
    }

    await this.update(iteration, shards.length);
    const t2 = performance.now();
    this.iteration = iteration;
    this.parts.applyConstraints();

    this.progress.lossSum += loss * count;
    this.progress.metricSums = metrics.map(
      (m, i) => (this.progress.metricSums[i] ?? 0) + m * count,
    );
    this.progress.examples += count;
    this.workerTensors = results.map((r) => r.tensors);
    const busy = results.reduce((s, r) => s + r.busyMs, 0);
    this.timing.computeMs += t1 - t0;
    this.timing.reduceUpdateMs += t2 - t1;
    this.timing.waitingMs += Math.max(0, t1 - t0 - busy / results.length);
    return logs;
  }

  private async update(iteration: number, shards: number): Promise<void> {
    const { pool, state, optimizer } = this.parts;
    const learningRate =
      typeof optimizer.learningRate === 'number' ? optimizer.learningRate : undefined;
    const active = this.slices.map((r, slice) => ({ ...r, slice })).filter((r) => r.end > r.start);
    const settled = await Promise.allSettled(
      active.map((r) =>
        pool.run<UpdateResult>({
          kind: 'update',
          iteration,
          slice: r.slice,
          start: r.start,
          end: r.end,
          shards,
          learningRate,
        }),
      ),
    );
    const failed = settled.findIndex((s) => s.status === 'rejected');
    const done = Atomics.load(state.control, Control.UPDATE_DONE);
    if (failed >= 0 || done !== active.length) {
      this.rollback(iteration, active);
      const reason =
        failed >= 0
          ? (settled[failed] as PromiseRejectedResult).reason
          : new Error(`${done} of ${active.length} slices updated`);
      throw new WorkerError({
        worker: failed >= 0 ? active[failed]!.slice : 0,
        iteration,
        phase: 'updating weights',
        cause: reason,
      });
    }
  }

  /** Puts back every slice whose owner had started updating it in this step. */
  private rollback(iteration: number, slices: Array<Range & { slice: number }>): void {
    const { state } = this.parts;
    const params = state.store.data;
    const optimizerSlots = state.optimizerSlots();
    for (const r of slices) {
      if (Atomics.load(state.control, Control.BACKUP_STEP + r.slice) !== iteration) continue;
      params.set(state.backupArray(0).subarray(r.start, r.end), r.start);
      optimizerSlots.forEach((slot, i) => {
        slot.set(state.backupArray(1 + i).subarray(r.start, r.end), r.start);
      });
    }
  }

  /** The finished epoch's training means, plus validation metrics computed by the workers. */
  private async epochLogs(): Promise<Logs> {
    const p = this.progress;
    const logs: Logs = { loss: p.lossSum / Math.max(1, p.examples) };
    this.parts.metricNames.forEach((name, i) => {
      logs[name] = (p.metricSums[i] ?? 0) / Math.max(1, p.examples);
    });
    const validation = this.parts.validation;
    if (validation !== undefined && validation.size > 0) {
      const ranges = splitEvenly(0, validation.size, this.settings.workers);
      const parts = await Promise.all(
        ranges.map((r, worker) =>
          this.parts.pool
            .run<EvaluateResult>({
              kind: 'evaluate',
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
      this.parts.metricNames.forEach((name, i) => {
        logs[`val_${name}`] = parts.reduce((s, r) => s + (r.metricSums[i] ?? 0), 0) / total;
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
