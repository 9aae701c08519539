/**
 * What the dashboard page shows, as one JSON document the server sends on load and
 * pushes as it changes. Per-batch points are thinned (every other one dropped) once
 * there are more than MAX_BATCH_POINTS, so a long run stays a small message.
 */
import type { Logs } from '@tessera/trainer';

/** The most per-batch points a snapshot carries. */
export const MAX_BATCH_POINTS = 1000;

/** The page's view of a run. */
export interface DashboardSnapshot {
  title: string;
  status: 'waiting' | 'training' | 'finished' | 'stopped';
  /** Epochs completed or in progress, counted from 1 (0 before the first). */
  epoch: number;
  epochs: number | null;
  /** Per batch: x in epochs (fractional) and the batch's logs. */
  batches: Array<{ x: number; logs: Logs }>;
  /** Per finished epoch: its logs (loss, metrics, val_…). */
  epochLogs: Logs[];
  /** Training examples per second, all workers together. */
  samplesPerSecond: number | null;
  /** Each worker's share of that rate (its shard of every batch). */
  perWorker: number[];
  etaSeconds: number | null;
  learningRate: number | null;
  /** File names of the checkpoints in the run folder. */
  checkpoints: string[];
}

/** An empty snapshot of a run about to start. */
export function emptySnapshot(title: string, epochs: number | null): DashboardSnapshot {
  return {
    title,
    status: 'waiting',
    epoch: 0,
    epochs,
    batches: [],
    epochLogs: [],
    samplesPerSecond: null,
    perWorker: [],
    etaSeconds: null,
    learningRate: null,
    checkpoints: [],
  };
}

/** Adds a batch point, thinning the series when it grows past the limit. */
export function addBatchPoint(s: DashboardSnapshot, point: { x: number; logs: Logs }): void {
  s.batches.push(point);
  if (s.batches.length > MAX_BATCH_POINTS) s.batches = s.batches.filter((_, i) => i % 2 === 1);
}

/** Splits a rate over workers in proportion to their shard of a batch of `batchSize`. */
export function perWorkerRates(rate: number, workers: number, batchSize: number): number[] {
  const base = Math.floor(batchSize / workers);
  const extra = batchSize % workers;
  return Array.from(
    { length: workers },
    (_, i) => (rate * (base + (i < extra ? 1 : 0))) / batchSize,
  );
}
