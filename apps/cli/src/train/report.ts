/**
 * What `train` prints when it is done: the one `--json` object (at least
 * command, workers, epochs, samples_per_second (null when a resume had nothing left to
 * train), train {loss, accuracy}, test {loss, accuracy}, checkpoint; accuracy omitted for
 * regression), or a few readable lines.
 */
import type { HistoryData } from '@tessera/trainer';
import { formatCount, formatMetric } from '../progress/format.js';

/** Everything the report states. */
export interface TrainReportArgs {
  /** The model as the user named it. */
  model: string;
  /** The dataset as the user named it. */
  dataset: string;
  /** Worker threads used. */
  workers: number;
  /** Examples per step. */
  batchSize: number;
  /** Seed of the run. */
  seed: number;
  /** The trainer's history of the whole run. */
  history: HistoryData;
  /** Training examples per second of training time, over the run. */
  samplesPerSecond: number;
  /** Final training metrics (the last epoch's means). */
  train: Record<string, number>;
  /** Validation metrics of the last epoch, if validated. */
  validation: Record<string, number> | undefined;
  /** Metrics on the test data. */
  test: Record<string, number>;
  /** Examples in the test data. */
  testExamples: number;
  /** What the test data is, e.g. "the iris test split". */
  testDescription: string;
  /** The checkpoint of the final weights, if written. */
  checkpoint: string | null;
  /** The best checkpoint, if written. */
  bestCheckpoint: string | null;
  /** The run folder. */
  out: string;
  /** Wall time of `fit`, validation and checkpoints included. */
  trainingSeconds: number;
  /** Epoch the run ends at (the checkpoint's own count, or `--epochs`). */
  epochs: number;
  /**
   * Where a resumed run took up: the checkpoint, the epochs it had finished and the batch
   * of the next.
   */
  resumedFrom?: { path: string; epochs: number; batch: number } | undefined;
}

/** True when a resume had no epochs left to run: the model is the checkpoint's, untouched. */
export function nothingTrained(args: Pick<TrainReportArgs, 'history' | 'resumedFrom'>): boolean {
  return args.resumedFrom !== undefined && args.history.epoch.length <= args.resumedFrom.epochs;
}

/**
 * The line of a resume that trained nothing, e.g. "Nothing trained: the checkpoint had
 * finished 2 epoch(s) and the run ends at epoch 2; pass --epochs 3 or more to train on".
 */
export function nothingTrainedText(
  resumedFrom: NonNullable<TrainReportArgs['resumedFrom']>,
  epochs: number,
): string {
  const where =
    resumedFrom.batch > 0
      ? `had stopped inside epoch ${resumedFrom.epochs + 1} at batch ${resumedFrom.batch}`
      : `had finished ${resumedFrom.epochs} epoch(s)`;
  return `Nothing trained: the checkpoint ${where} and the run ends at epoch ${epochs}; pass --epochs ${resumedFrom.epochs + 1} or more to train on`;
}

/**
 * "Trained N epoch(s)" counting the epochs of this session: after a resume, which epochs
 * ran and where the checkpoint stood, e.g. "Trained 9 epoch(s) (epochs 2–10, resumed from
 * epoch 1)". An epoch the checkpoint stopped inside counts as run here.
 */
export function epochsTrainedText(
  history: HistoryData,
  resumedFrom: Pick<NonNullable<TrainReportArgs['resumedFrom']>, 'epochs' | 'batch'> | undefined,
): string {
  const total = history.epoch.length;
  if (resumedFrom === undefined) return `Trained ${total} epoch(s)`;
  const ran = Math.max(0, total - resumedFrom.epochs);
  const first = resumedFrom.epochs + 1;
  const span = ran === 1 ? `epoch ${first}` : `epochs ${first}–${total}`;
  const from =
    resumedFrom.batch > 0
      ? `resumed inside epoch ${first} at batch ${resumedFrom.batch}`
      : `resumed from epoch ${resumedFrom.epochs}`;
  return `Trained ${ran} epoch(s) (${span}, ${from})`;
}

/** The last value of every non-validation (or only validation) series. */
export function lastEpochLogs(
  history: HistoryData,
  validation: boolean,
): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const [key, values] of Object.entries(history.history)) {
    if (key.startsWith('val_') !== validation) continue;
    const last = values[values.length - 1];
    if (last !== undefined) out[validation ? key.slice(4) : key] = last;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The `--json` object. */
export function trainJson(args: TrainReportArgs): Record<string, unknown> {
  return {
    command: 'train',
    model: args.model,
    dataset: args.dataset,
    workers: args.workers,
    epochs: args.history.epoch.length,
    batch_size: args.batchSize,
    seed: args.seed,
    // A resume that trained nothing measured no speed (the history's is the old run's).
    samples_per_second: nothingTrained(args) ? null : args.samplesPerSecond,
    train: args.train,
    ...(args.validation === undefined ? {} : { validation: args.validation }),
    test: args.test,
    test_examples: args.testExamples,
    checkpoint: args.checkpoint,
    best_checkpoint: args.bestCheckpoint,
    out: args.out,
    training_seconds: args.trainingSeconds,
    training_path: trainingPathJson(args.history),
  };
}

/**
 * Which step trained the model: `{ path, sparse_input, density, parallel }` or
 * `{ path, reason }`.
 */
function trainingPathJson(history: HistoryData): Record<string, unknown> | null {
  const p = history.trainingPath;
  if (p === undefined) return null;
  if (p.path === 'tfjs') return { path: 'tfjs', reason: p.reason ?? null };
  return {
    path: 'resident',
    sparse_input: p.sparseInput ?? false,
    density: p.density ?? null,
    parallel: p.parallel ?? 'rows',
  };
}

/** One line saying which step trained the model, and why when it was the tfjs path. */
export function trainingPathText(history: HistoryData): string | undefined {
  const p = history.trainingPath;
  if (p === undefined) return undefined;
  if (p.path === 'tfjs') return `Training path: tfjs autodiff (${p.reason ?? 'asked for'})`;
  const input =
    p.sparseInput === true
      ? `compressed input rows, ${Math.round((p.density ?? 0) * 100)}% nonzero`
      : 'dense input rows';
  const split = p.parallel === 'units' ? ', workers split the hidden units' : '';
  return `Training path: resident step (${input}${split})`;
}

function metricLine(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${formatMetric(v)}`)
    .join(', ');
}

/** The human-readable ending. */
export function trainText(args: TrainReportArgs): string[] {
  if (args.resumedFrom !== undefined && nothingTrained(args)) {
    return [
      nothingTrainedText(args.resumedFrom, args.epochs),
      `Test on ${args.testDescription} (${formatCount(args.testExamples)} examples): ${metricLine(args.test)}`,
      `Checkpoint: none written (the model is the one in ${args.resumedFrom.path})`,
      `Run folder: ${args.out} (history, learning curves, summary, model plot)`,
    ];
  }
  return [
    `${epochsTrainedText(args.history, args.resumedFrom)} on ${args.workers} worker(s) in ${args.trainingSeconds.toFixed(1)}s: ${formatCount(args.samplesPerSecond)} samples/s`,
    `Test on ${args.testDescription} (${formatCount(args.testExamples)} examples): ${metricLine(args.test)}`,
    ...[trainingPathText(args.history)].filter((line) => line !== undefined),
    `Checkpoint: ${args.checkpoint ?? '(none written)'}`,
    `Run folder: ${args.out} (history, learning curves, summary, model plot)`,
  ];
}
