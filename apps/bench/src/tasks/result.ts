/**
 * The result every training runner returns, so one table and one JSON report cover
 * Tessera, the tfjs-layers peers and PyTorch alike.
 */
import type { InputSetName } from './input-sets.js';
import type { ReferenceTask } from './reference-task.js';

/** Which implementation trained. */
export type RunnerKind = 'tessera' | 'tfjs-cpu' | 'tfjs-wasm' | 'pytorch';

/** Milliseconds of one optimizer step, from Tessera's `history.timing` divided by the steps. */
export interface StepBreakdown {
  /** Gradient phase (all shards in parallel). */
  computeMs: number;
  /** Gradient reduction and the sharded optimizer update. */
  reduceUpdateMs: number;
  /** Average idle time of a worker inside those two phases (part of them, not extra). */
  waitingMs: number;
  /** Main-thread time outside both phases. */
  otherMs: number;
}

/** Fields every row has. */
interface RunIdentity {
  /** The input set trained on (tasks/input-sets.ts). */
  input: InputSetName;
  /** Which implementation. */
  runner: RunnerKind;
  /** Row label, e.g. "Tessera ×2" or "tfjs-wasm". */
  label: string;
  /** Worker threads (Tessera rows only). */
  workers?: number;
}

/** A runner that trained. */
export interface CompletedRun extends RunIdentity {
  status: 'ok';
  /** Examples trained on (60,000 for a full epoch; fewer for a `--quick` peer). */
  examples: number;
  /** Optimizer steps taken. */
  steps: number;
  /** Training time only: no data loading, worker start-up or evaluation. */
  trainSeconds: number;
  /** examples ÷ trainSeconds. */
  samplesPerSecond: number;
  /** Mean training loss over the epoch (as Keras reports it). */
  loss: number;
  /** Mean training accuracy over the epoch. */
  accuracy: number;
  /** Facts about the runner printed under the table (versions, BLAS, SIMD). */
  note?: string;
  /** Where one step's time went (Tessera only). */
  breakdown?: StepBreakdown;
  /** Largest resident set size seen while training, in MiB (Tessera only: the whole process). */
  peakRssMiB?: number;
  /** Runner facts worth keeping in the JSON report (versions, SIMD, threads). */
  details?: Record<string, string | number | boolean>;
}

/** A runner that did not train: not installed, or it failed. */
export interface MissingRun extends RunIdentity {
  status: 'skipped' | 'failed';
  /** Why, in a form a reader can act on, e.g. "not installed (apt-get install python3-torch)". */
  reason: string;
}

/** One row of the training table. */
export type TrainingRun = CompletedRun | MissingRun;

/** A peer's run before the bench tags it with its input set. */
export type PeerRun = TrainingRun extends infer R
  ? R extends TrainingRun
    ? Omit<R, 'input'>
    : never
  : never;

/** Everything the training tables show, for the JSON report. */
export interface TrainingBenchResult {
  task: ReferenceTask;
  quick: boolean;
  /** Tessera runs per worker count (the table shows their median). */
  repeats: number;
  /** The input sets trained on, in order. */
  inputs: { name: InputSetName; description: string; examples: number }[];
  runs: TrainingRun[];
}
