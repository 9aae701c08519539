/**
 * Training progress as a trainer callback. On a terminal: a bar per epoch with the running
 * loss and metrics, samples per second and the time left in the epoch, replaced at the end
 * of the epoch by one summary line. Elsewhere (a pipe, a log file): only the summary line
 * per epoch, so logs stay readable.
 *
 *   Epoch 2/5 - 11.8s - loss: 0.1423 - accuracy: 0.9581 - val_loss: 0.1302 - val_accuracy: 0.9623 - 4,580 samples/s
 *
 * An epoch that a non-finite loss cut short (the trainer still ends it, on the steps
 * before) says so instead, and gives no speed:
 *
 *   Epoch 1/5 cut short after 1 of 6 steps (the loss of step 2 was not finite) - 0.0s - loss: 1.0887 - …
 */
import { performance } from 'node:perf_hooks';
import type { Logs, TrainerCallback } from '@tessera/trainer';
import cliProgress from 'cli-progress';
import type { OutputStream } from '../io.js';
import { formatCount, formatDuration, formatLogs, formatMetric } from './format.js';

/** What the display needs to know about the run. */
export interface ProgressArgs {
  /** Where to draw (a terminal gets the bar). */
  stream: OutputStream;
  /** Epochs the run will do in total. */
  epochs: number;
  /** Training examples per epoch (after the validation split). */
  examples: number;
  /** Examples per step. */
  batchSize: number;
  /** Force the bar on or off (default: on when the stream is a terminal). */
  bar?: boolean;
}

/** Running means of one epoch, weighted by batch size. */
class EpochMeans {
  private sums: Record<string, number> = {};
  private count = 0;

  add(logs: Logs, examples: number): void {
    for (const [key, value] of Object.entries(logs))
      this.sums[key] = (this.sums[key] ?? 0) + value * examples;
    this.count += examples;
  }

  get examples(): number {
    return this.count;
  }

  means(): Record<string, number> {
    return Object.fromEntries(
      Object.entries(this.sums).map(([k, v]) => [k, v / Math.max(1, this.count)]),
    );
  }
}

/** The callback; pass it in fit's `callbacks`. */
export class TrainingProgress implements TrainerCallback {
  /** Its batch hooks read only their logs: the next run of steps goes on meanwhile. */
  readonly batchHooksReadLogsOnly = true;
  private readonly args: ProgressArgs;
  private readonly useBar: boolean;
  private readonly batches: number;
  private bar: cliProgress.SingleBar | undefined;
  private epochStart = 0;
  private lastBatchEnd = 0;
  private means = new EpochMeans();
  private epoch = 0;
  /** Steps of the current epoch done (its last batch index + 1). */
  private stepsDone = 0;
  /** The step whose loss was not finite, once one was. */
  private stoppedAt: number | undefined;

  constructor(args: ProgressArgs) {
    this.args = args;
    this.useBar = args.bar ?? args.stream.isTTY === true;
    this.batches = Math.max(1, Math.ceil(args.examples / args.batchSize));
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = performance.now();
    this.lastBatchEnd = this.epochStart;
    this.means = new EpochMeans();
    this.stepsDone = 0;
    if (!this.useBar) return;
    this.bar = new cliProgress.SingleBar(
      {
        stream: this.args.stream,
        format: `Epoch ${epoch + 1}/${this.args.epochs} [{bar}] {value}/{total} | {metrics} | {rate} samples/s | ETA {left}`,
        barsize: 24,
        hideCursor: false,
        clearOnComplete: true,
        linewrap: false,
        fps: 8,
      },
      cliProgress.Presets.legacy,
    );
    this.bar.start(this.batches, 0, { metrics: 'starting', rate: '-', left: '-' });
  }

  onBatchEnd(batch: number, logs?: Logs): void {
    const now = performance.now();
    this.lastBatchEnd = now;
    this.stepsDone = batch + 1;
    const size = Math.min(this.args.batchSize, this.args.examples - batch * this.args.batchSize);
    if (logs !== undefined) this.means.add(logs, Math.max(0, size));
    if (this.bar === undefined) return;
    const seconds = (now - this.epochStart) / 1000;
    const done = batch + 1;
    const rate = seconds > 0 ? this.means.examples / seconds : 0;
    const left = done > 0 ? (seconds / done) * (this.batches - done) : Number.NaN;
    const metrics = Object.entries(this.means.means())
      .map(([k, v]) => `${k} ${formatMetric(v)}`)
      .join(' | ');
    this.bar.update(done, { metrics, rate: formatCount(rate), left: formatDuration(left) });
  }

  /** Means of the batch logs of the epoch so far, weighted by batch size. */
  currentMeans(): Record<string, number> {
    return this.means.means();
  }

  onEpochEnd(epoch: number, logs?: Logs): void {
    this.bar?.stop();
    this.bar = undefined;
    const trainSeconds = (this.lastBatchEnd - this.epochStart) / 1000;
    const rate = trainSeconds > 0 ? this.means.examples / trainSeconds : 0;
    const total = (performance.now() - this.epochStart) / 1000;
    const cutShort = this.stoppedAt !== undefined;
    const title = `Epoch ${epoch + 1}/${this.args.epochs}`;
    const parts = [
      cutShort
        ? `${title} cut short after ${this.stepsDone} of ${this.batches} steps (the loss of step ${this.stoppedAt} was not finite)`
        : title,
      `${total.toFixed(1)}s`,
    ];
    if (logs !== undefined && Object.keys(logs).length > 0) parts.push(formatLogs(logs));
    if (!cutShort) parts.push(`${formatCount(rate)} samples/s`);
    this.args.stream.write(`${parts.join(' - ')}\n`);
  }

  /** A step's loss was not finite: the trainer ends the epoch early, on the steps before it. */
  onNonFiniteLoss(iteration: number): void {
    this.stoppedAt = iteration;
  }

  /** Clears a half-drawn bar when training stops inside an epoch. */
  onInterrupt(): void {
    this.bar?.stop();
    this.bar = undefined;
    this.args.stream.write(`Epoch ${this.epoch + 1}/${this.args.epochs} interrupted\n`);
  }

  onTrainEnd(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
