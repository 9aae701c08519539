/**
 * A trainer callback that keeps the dashboard's snapshot of the run and tells the
 * server when it changed — at most every `intervalMs`, from a timer, never from the
 * training step. Each hook only stores numbers (O(1)), so watching costs training
 * nothing measurable; batch logs may arrive in bursts and are placed by batch index.
 */
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Logs, TrainerCallback, TrainerContext } from '@tessera/trainer';
import {
  addBatchPoint,
  type DashboardSnapshot,
  emptySnapshot,
  perWorkerRates,
} from './snapshot.js';

/** What the recorder needs to know of the run. */
export interface RecorderArgs {
  title: string;
  epochs: number;
  /** Training examples per epoch. */
  examples: number;
  batchSize: number;
  workers: number;
  /** Folder the checkpoints are written to. */
  checkpointDir: string;
  /** Called with the new snapshot, throttled. */
  onChange: (snapshot: DashboardSnapshot) => void;
  /** Minimum time between two `onChange` calls (default 250 ms). */
  intervalMs?: number;
}

export class DashboardRecorder implements TrainerCallback {
  /**
   * Its batch hooks read only their logs (and the optimizer's learning-rate schedule): the
   * next run of steps goes on meanwhile.
   */
  readonly batchHooksReadLogsOnly = true;
  readonly snapshot: DashboardSnapshot;
  private readonly args: RecorderArgs;
  private readonly batchesPerEpoch: number;
  private context: TrainerContext | undefined;
  private epochStart = 0;
  private epochIndex = 0;
  private dirty = false;
  private readonly timer: NodeJS.Timeout;

  constructor(args: RecorderArgs) {
    this.args = args;
    this.snapshot = emptySnapshot(args.title, args.epochs);
    this.batchesPerEpoch = Math.max(1, Math.ceil(args.examples / args.batchSize));
    this.timer = setInterval(() => this.flush(), args.intervalMs ?? 250);
    this.timer.unref();
  }

  setTrainer(context: TrainerContext): void {
    this.context = context;
  }

  onTrainBegin(): void {
    this.snapshot.status = 'training';
    this.dirty = true;
  }

  onEpochBegin(epoch: number): void {
    this.epochIndex = epoch;
    this.epochStart = performance.now();
    this.snapshot.epoch = epoch + 1;
    this.dirty = true;
  }

  onBatchEnd(batch: number, logs?: Logs): void {
    const s = this.snapshot;
    addBatchPoint(s, {
      x: this.epochIndex + (batch + 1) / this.batchesPerEpoch,
      logs: { ...logs },
    });
    const seconds = (performance.now() - this.epochStart) / 1000;
    const done = Math.min(this.args.examples, (batch + 1) * this.args.batchSize);
    if (seconds > 0) {
      const rate = done / seconds;
      s.samplesPerSecond = rate;
      s.perWorker = perWorkerRates(rate, this.args.workers, this.args.batchSize);
      const left =
        this.args.examples - done + (this.args.epochs - this.epochIndex - 1) * this.args.examples;
      s.etaSeconds = left / rate;
    }
    const context = this.context;
    if (context !== undefined) s.learningRate = context.optimizer.learningRateAt(context.iteration);
    this.dirty = true;
  }

  onEpochEnd(_epoch: number, logs?: Logs): void {
    this.snapshot.epochLogs.push({ ...logs });
    this.snapshot.checkpoints = listCheckpoints(this.args.checkpointDir);
    this.dirty = true;
  }

  onInterrupt(): void {
    this.snapshot.status = 'stopped';
    this.finish();
  }

  onTrainEnd(): void {
    if (this.snapshot.status === 'training') this.snapshot.status = 'finished';
    this.snapshot.etaSeconds = 0;
    this.snapshot.checkpoints = listCheckpoints(this.args.checkpointDir);
    this.finish();
  }

  /** Stops the timer and sends the last state. */
  finish(): void {
    clearInterval(this.timer);
    this.dirty = true;
    this.flush();
  }

  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.args.onChange(this.snapshot);
  }
}

/** The checkpoint files of a run folder, sorted; none when it does not exist yet. */
export function listCheckpoints(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.tsr'))
      .sort();
  } catch {
    return [];
  }
}
