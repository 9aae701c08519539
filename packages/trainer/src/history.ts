/**
 * What `fit` returns: Keras-style per-epoch logs plus the throughput and where the time
 * went, so a user can see whether the workers computed or waited.
 */

/** Milliseconds of one epoch, summed over its steps. */
export interface EpochTiming {
  /** Wall time of the gradient phases (all shards running in parallel). */
  computeMs: number;
  /** Wall time of the reduce + optimizer-update phases. */
  reduceUpdateMs: number;
  /** Average time a worker sat idle inside those phases, waiting for the slowest shard. */
  waitingMs: number;
  /** Main-thread time outside both phases: ordering, callbacks, checkpoints. */
  otherMs: number;
}

import type { TrainingPathReport } from './training-path.js';

export interface HistoryData {
  epoch: number[];
  history: Record<string, number[]>;
  samplesPerSecond: number[];
  timing: EpochTiming[];
  seed: number;
  workers: number;
  /** Per epoch: tensors alive in the worker of each shard after the epoch's last step. */
  workerTensors: number[][];
  /** Which step the run trained on (absent in histories saved before it was recorded). */
  trainingPath?: TrainingPathReport;
}

export class TrainingHistory implements HistoryData {
  epoch: number[] = [];
  history: Record<string, number[]> = {};
  samplesPerSecond: number[] = [];
  timing: EpochTiming[] = [];
  workerTensors: number[][] = [];
  seed: number;
  workers: number;
  trainingPath: TrainingPathReport | undefined;

  constructor(options: { seed: number; workers: number }) {
    this.seed = options.seed;
    this.workers = options.workers;
  }

  static fromJSON(data: HistoryData): TrainingHistory {
    const h = new TrainingHistory({ seed: data.seed, workers: data.workers });
    h.epoch = [...data.epoch];
    h.history = Object.fromEntries(Object.entries(data.history).map(([k, v]) => [k, [...v]]));
    h.samplesPerSecond = [...data.samplesPerSecond];
    h.timing = data.timing.map((t) => ({ ...t }));
    h.workerTensors = data.workerTensors.map((t) => [...t]);
    h.trainingPath = data.trainingPath === undefined ? undefined : { ...data.trainingPath };
    return h;
  }

  /** Records one finished epoch. */
  record(
    epoch: number,
    logs: Record<string, number>,
    samplesPerSecond: number,
    timing: EpochTiming,
    workerTensors: number[],
  ): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      const series = this.history[key] ?? [];
      series.push(value);
      this.history[key] = series;
    }
    this.samplesPerSecond.push(samplesPerSecond);
    this.timing.push(timing);
    this.workerTensors.push([...workerTensors]);
  }

  toJSON(): HistoryData {
    return {
      epoch: [...this.epoch],
      history: Object.fromEntries(Object.entries(this.history).map(([k, v]) => [k, [...v]])),
      samplesPerSecond: [...this.samplesPerSecond],
      timing: this.timing.map((t) => ({ ...t })),
      workerTensors: this.workerTensors.map((t) => [...t]),
      seed: this.seed,
      workers: this.workers,
      ...(this.trainingPath === undefined ? {} : { trainingPath: { ...this.trainingPath } }),
    };
  }
}
