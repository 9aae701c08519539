/**
 * How training scales over the cores, measured through the command a user runs: `tessera
 * train` (MNIST, one epoch unless told more) on one worker and on every core (the
 * command's default), and, as the control, as many one-worker processes started together as the default has
 * workers. The processes share the machine as the workers do but no step, so their speed
 * together shows what the machine allowed in the same minutes (on a shared virtual machine
 * that changes from one minute to the next). Each round runs every variant at every batch
 * size once, in an order that rotates from round to round, and the ratios are taken within
 * a round.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './measure.js';
import { formatCount, formatTable } from './table.js';
import { runCliTraining } from './tasks/cli-train.js';

/** Batch sizes of a full run (a quick run: the reference task's 128 only). */
export const SCALING_BATCH_SIZES: readonly number[] = [64, 128, 256];

/** Epochs of each run unless told otherwise: one, as issue 10's reference task. */
export const SCALING_EPOCHS = 1;

/**
 * The `tessera train` arguments every run shares (batch size and workers are added):
 * `epochs` epochs of MNIST. More epochs show the scaling of a longer run such as
 * `npm start`'s ten, whose later epochs run the once-a-step code V8 has optimized by then.
 */
export function scalingTrain(epochs: number = SCALING_EPOCHS): string[] {
  if (!(Number.isInteger(epochs) && epochs >= 1)) {
    throw new RangeError(
      `scaling bench: epochs must be a positive integer. Received: epochs=${epochs}`,
    );
  }
  return ['--model', 'mnist-mlp', '--dataset', 'mnist', '--epochs', String(epochs), '--seed', '1'];
}

/** One round at one batch size: samples/s of each run. */
export interface ScalingRound {
  /** `--workers 1`. */
  one: number;
  /** The default worker count (every core). */
  every: number;
  /** Each of the one-worker processes started together (the control). */
  processes: number[];
}

/** Every round at one batch size. */
export interface ScalingBatch {
  batchSize: number;
  rounds: ScalingRound[];
}

export interface ScalingBenchResult {
  /** The command, without batch size and workers. */
  command: string;
  /** The command's default worker count, and the control's count of processes. */
  workers: number;
  batches: ScalingBatch[];
}

/** One `tessera train --json` run with these extra arguments: its speed and worker count. */
export type TrainRun = (
  train: readonly string[],
) => Promise<{ samplesPerSecond: number; workers: number }>;

export interface ScalingBenchOptions {
  quick: boolean;
  /** Rounds. */
  repeats: number;
  /** Epochs of each run (default SCALING_EPOCHS). */
  epochs?: number;
  log: (line: string) => void;
  /** Cores of this machine, the command's default worker count (default: the OS's count). */
  cores?: number;
  /** Runs one training (default: the command in a child process, with a fresh --out folder). */
  train?: TrainRun;
}

/** `tessera train … --json` in a child process, writing into a temporary folder removed after. */
async function trainInChild(
  train: readonly string[],
): Promise<{ samplesPerSecond: number; workers: number }> {
  const out = mkdtempSync(join(tmpdir(), 'tessera-bench-scaling-'));
  try {
    const run = await runCliTraining({ train: [...train, '--out', out], dashboard: false });
    return { samplesPerSecond: run.samplesPerSecond, workers: run.workers };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

type Variant = 'one' | 'every' | 'processes';
const VARIANTS: readonly Variant[] = ['one', 'every', 'processes'];

/** Runs `repeats` rounds; a machine with one core has nothing to compare (no batches). */
export async function runScalingBench(options: ScalingBenchOptions): Promise<ScalingBenchResult> {
  const cores = options.cores ?? availableParallelism();
  const train = options.train ?? trainInChild;
  const sizes = options.quick ? [128] : SCALING_BATCH_SIZES;
  const shared = scalingTrain(options.epochs);
  const result: ScalingBenchResult = {
    command: `tessera train ${shared.join(' ')}`,
    workers: cores,
    batches: cores < 2 ? [] : sizes.map((batchSize) => ({ batchSize, rounds: [] })),
  };
  for (let r = 0; r < options.repeats && cores >= 2; r++) {
    for (const batch of result.batches) {
      const args = [...shared, '--batch-size', String(batch.batchSize)];
      const round: ScalingRound = { one: Number.NaN, every: Number.NaN, processes: [] };
      for (let v = 0; v < VARIANTS.length; v++) {
        const variant = VARIANTS[(v + r) % VARIANTS.length]!;
        const what =
          variant === 'one'
            ? '--workers 1'
            : variant === 'every'
              ? `the default (${cores} workers)`
              : `${cores} one-worker processes at once`;
        options.log(
          `scaling bench: round ${r + 1}/${options.repeats}, batch ${batch.batchSize}: ${what}`,
        );
        if (variant === 'one') {
          round.one = (await train([...args, '--workers', '1'])).samplesPerSecond;
        } else if (variant === 'every') {
          const run = await train(args);
          if (run.workers !== cores) {
            throw new Error(
              `scaling bench: tessera train should train on every core (${cores}) by default. Received: workers=${run.workers}`,
            );
          }
          round.every = run.samplesPerSecond;
        } else {
          const runs = await Promise.all(
            Array.from({ length: cores }, () => train([...args, '--workers', '1'])),
          );
          round.processes = runs.map((run) => run.samplesPerSecond);
        }
      }
      batch.rounds.push(round);
    }
  }
  return result;
}

/** Each round's ratio `of(round)` ÷ its one-worker run, sorted. */
function ratios(rounds: readonly ScalingRound[], of: (round: ScalingRound) => number): number[] {
  return rounds.map((round) => of(round) / round.one).sort((a, b) => a - b);
}

function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

function range(sorted: readonly number[]): string {
  return sorted.length === 0 ? 'n/a' : `${times(sorted[0]!)}–${times(sorted[sorted.length - 1]!)}`;
}

/**
 * The table: per batch size the median speed of one worker and of every core, the median
 * and range of the rounds' ratios, and the same for the processes started together.
 */
export function scalingTable(result: ScalingBenchResult): string[] {
  const n = result.workers;
  if (result.batches.length === 0) {
    return [`Scaling: ${result.command}: this machine has one core, nothing to compare.`];
  }
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  const rows = result.batches.map((batch) => {
    const together = ratios(batch.rounds, (round) => round.processes.reduce((s, x) => s + x, 0));
    const every = ratios(batch.rounds, (round) => round.every);
    return [
      String(batch.batchSize),
      formatCount(median(sorted(batch.rounds.map((round) => round.one)))),
      formatCount(median(sorted(batch.rounds.map((round) => round.every)))),
      times(median(every)),
      range(every),
      times(median(together)),
      range(together),
    ];
  });
  const rounds = result.batches[0]!.rounds.length;
  return [
    `Scaling: ${result.command}, ${n} workers by default, ${rounds} round(s) (samples/s, medians):`,
    ...formatTable(
      [
        { title: 'batch', align: 'right' },
        { title: '1 worker', align: 'right' },
        { title: `${n} workers`, align: 'right' },
        { title: `${n} workers ÷ 1`, align: 'right' },
        { title: 'range', align: 'right' },
        { title: `${n} processes ÷ 1`, align: 'right' },
        { title: 'range', align: 'right' },
      ],
      rows,
    ),
    `Each round ran --workers 1, the default and ${n} one-worker processes at once (the control: they share the machine but no step) at every batch size, in rotating order; a ratio is taken within its round.`,
  ];
}
