/**
 * `fit` options: what each one means, and their validation with one message each.
 */
import { availableParallelism } from 'node:os';
import { received, ValueError } from '@tessera/core';
import { Dataset } from '@tessera/datasets';
import { checkInitialEpoch, type SampleWeight } from '@tessera/layers';
import type { TrainerCallback } from './callbacks/callback.js';
import type { CheckpointData } from './checkpoint.js';
import { StartedThreads } from './threads.js';
import type { TrainingPathOption } from './training-path.js';

/** Where and how often `fit` writes checkpoints by itself. */
export interface CheckpointOptions {
  /**
   * The run folder: the `.tsr` files go to `<dir>/checkpoints/` (created when missing), the
   * layout `tessera train --out DIR` writes too (see checkpoint-layout.ts).
   */
  dir: string;
  /** Save after every `every` epochs (default 1). */
  every?: number;
  /** Also save after every `everySteps` optimizer steps (default: only at epoch ends). */
  everySteps?: number;
  /** How many of the latest periodic checkpoints to keep (default 3); `best.tsr` is kept apart. */
  keep?: number;
  /** Metric that decides `best.tsr` (default 'val_loss' when there is validation data, else 'loss'). */
  monitor?: string;
}

export interface FitOptions {
  /** Worker threads (default: the started `threads`' count, else os.availableParallelism()). */
  workers?: number;
  /**
   * Threads started beforehand with `startThreads()`, so that they load while the caller
   * prepares the data; `fit` trains on them and closes them (threads.ts).
   */
  threads?: StartedThreads;
  /** Epoch to stop before (default 1). With `initialEpoch`, runs epochs [initialEpoch, epochs). */
  epochs?: number;
  /** Epoch to start at (default 0; Keras's `initial_epoch`). Not with `resume`. */
  initialEpoch?: number;
  /** Examples per optimizer step, across all workers (default 32). */
  batchSize?: number;
  /** Optimizer name, config or instance (default: the model's compiled one). */
  optimizer?: unknown;
  /** Loss name or config (default: the model's compiled one). */
  loss?: unknown;
  /** Metric names (default: the model's compiled ones). */
  metrics?: unknown[];
  /** Fraction of the training data, taken from its end before shuffling, held out for validation. */
  validationSplit?: number;
  /** A separate validation set (takes precedence over validationSplit). */
  validationData?: Dataset;
  /** Reshuffle the training order every epoch (default true). */
  shuffle?: boolean;
  /** Seed of shuffling and dropout (default: a random seed, reported in the history). */
  seed?: number;
  callbacks?: TrainerCallback[];
  /** Periodic checkpoints written by `fit` itself. */
  checkpoint?: CheckpointOptions;
  /** A checkpoint (path or loaded data) to continue from exactly where it stopped. */
  resume?: string | CheckpointData;
  /** A step whose worker task takes longer than this fails (the thread is stopped). */
  stepTimeoutMs?: number;
  /** Aborting saves a checkpoint (when `checkpoint` is set) and rejects with TrainingAbortedError. */
  signal?: AbortSignal;
  /** Paths or file URLs of modules every worker imports first (they register custom activations and lambdas). */
  customObjects?: string[];
  /** 0: silent; 1 or 2: one line per epoch through printFn (default 1, as Keras and model.fit). */
  verbose?: 0 | 1 | 2;
  printFn?: (line: string) => void;
  /** Extra data stored in every checkpoint (e.g. the CLI's dataset name and normalizer). */
  checkpointExtra?: Record<string, unknown>;
  /**
   * Which step computes the gradients: 'auto' (default) trains on the resident step when it
   * can plan the model (built-in layers, losses, metrics; WebAssembly kernels active) and on
   * the tfjs autodiff path otherwise; 'resident' fails when it cannot plan; 'tfjs' always
   * uses tfjs. `history.trainingPath` says which ran, and why.
   */
  trainingPath?: TrainingPathOption;
  /**
   * A weight per class id (Keras's `class_weight`): each training row's loss is scaled by
   * its class's weight (missing classes weigh 1). Trains on the tfjs path.
   */
  classWeight?: Record<number, number>;
  /**
   * One weight per example of the data (Keras's `sample_weight`): an array or a `[n]` /
   * `[n, 1]` tensor of finite non-negative numbers. Each training row's loss is scaled by
   * its weight; with `validationSplit` the held-out rows' weights weigh the validation loss.
   * Not with classWeight. Trains on the tfjs path.
   */
  sampleWeight?: SampleWeight;
}

/**
 * Every key `fit` takes: any other is refused, as Keras refuses an unknown keyword of
 * `fit` (a misspelt `epoch: 3` would otherwise train one epoch without a word). The type
 * makes the compiler ask for a new option here.
 */
const FIT_OPTION_KEYS: Record<keyof FitOptions, true> = {
  workers: true,
  threads: true,
  epochs: true,
  initialEpoch: true,
  batchSize: true,
  optimizer: true,
  loss: true,
  metrics: true,
  validationSplit: true,
  validationData: true,
  shuffle: true,
  seed: true,
  callbacks: true,
  checkpoint: true,
  resume: true,
  stepTimeoutMs: true,
  signal: true,
  customObjects: true,
  verbose: true,
  printFn: true,
  checkpointExtra: true,
  trainingPath: true,
  classWeight: true,
  sampleWeight: true,
};

/** The accepted keys, sorted, for the message. */
const fitOptionKeys = (): string[] => Object.keys(FIT_OPTION_KEYS).sort();

export interface ResolvedFitOptions {
  workers: number;
  epochs: number;
  initialEpoch: number;
  batchSize: number;
  validationSplit: number;
  shuffle: boolean;
  seed: number;
  stepTimeoutMs: number | undefined;
  checkpoint:
    | (Required<Omit<CheckpointOptions, 'everySteps' | 'monitor'>> & {
        everySteps: number | undefined;
        monitor: string | undefined;
      })
    | undefined;
  customObjects: string[];
  verbose: 0 | 1 | 2;
  printFn: (line: string) => void;
  trainingPath: TrainingPathOption;
}

function positiveInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(received(`fit: ${name} must be a positive integer`, name, value));
  }
  return value;
}

/** Validates every option; throws a ValueError naming the first bad one. */
export function resolveFitOptions(options: FitOptions): ResolvedFitOptions {
  if (options === null || typeof options !== 'object') {
    throw new ValueError(received('fit: options must be an object', 'options', options));
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(FIT_OPTION_KEYS, key)) {
      throw new ValueError(
        received(
          `fit: unknown option "${key}"; expected one of ${fitOptionKeys().join(', ')}`,
          key,
          (options as Record<string, unknown>)[key],
        ),
      );
    }
  }
  const threads = options.threads;
  if (threads !== undefined && !(threads instanceof StartedThreads)) {
    throw new ValueError(
      received('fit: threads must come from startThreads()', 'threads', threads),
    );
  }
  const workers = positiveInt(
    'workers',
    options.workers,
    threads?.workers ?? availableParallelism(),
  );
  if (threads !== undefined && workers !== threads.workers) {
    throw new ValueError(
      `fit: workers must equal the number of started threads (${threads.workers}). Received: workers=${workers}`,
    );
  }
  const epochs = positiveInt('epochs', options.epochs, 1);
  const initialEpoch = checkInitialEpoch(options.initialEpoch, epochs);
  const batchSize = positiveInt('batchSize', options.batchSize, 32);
  const validationSplit = options.validationSplit ?? 0;
  if (typeof validationSplit !== 'number' || !(validationSplit >= 0 && validationSplit < 1)) {
    throw new ValueError(
      received(
        'fit: validationSplit must be a number in [0, 1)',
        'validationSplit',
        validationSplit,
      ),
    );
  }
  const seed = options.seed ?? Math.floor(Math.random() * 0xffffffff);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ValueError(received('fit: seed must be an integer in [0, 2^32)', 'seed', seed));
  }
  const stepTimeoutMs = options.stepTimeoutMs;
  if (stepTimeoutMs !== undefined && (typeof stepTimeoutMs !== 'number' || !(stepTimeoutMs > 0))) {
    throw new ValueError(
      received(
        'fit: stepTimeoutMs must be a positive number of milliseconds',
        'stepTimeoutMs',
        stepTimeoutMs,
      ),
    );
  }
  let checkpoint: ResolvedFitOptions['checkpoint'];
  if (options.checkpoint !== undefined) {
    const c = options.checkpoint;
    if (typeof c?.dir !== 'string' || c.dir === '') {
      throw new ValueError(
        received('fit: checkpoint.dir must be a folder path', 'checkpoint.dir', c?.dir),
      );
    }
    checkpoint = {
      dir: c.dir,
      every: positiveInt('checkpoint.every', c.every, 1),
      everySteps:
        c.everySteps === undefined
          ? undefined
          : positiveInt('checkpoint.everySteps', c.everySteps, 1),
      keep: positiveInt('checkpoint.keep', c.keep, 3),
      monitor: c.monitor,
    };
  }
  const customObjects = options.customObjects ?? [];
  if (
    !Array.isArray(customObjects) ||
    customObjects.some((m) => typeof m !== 'string' || m === '')
  ) {
    throw new ValueError(
      received('fit: customObjects must be a list of module paths', 'customObjects', customObjects),
    );
  }
  const trainingPath = options.trainingPath ?? 'auto';
  if (!['auto', 'resident', 'tfjs'].includes(trainingPath)) {
    throw new ValueError(
      received(
        "fit: trainingPath must be 'auto', 'resident' or 'tfjs'",
        'trainingPath',
        trainingPath,
      ),
    );
  }
  checkValidationData(options.validationData);
  if (options.callbacks !== undefined && !Array.isArray(options.callbacks)) {
    throw new ValueError(
      received(
        'fit: callbacks must be an array (of Callbacks or objects of hooks)',
        'callbacks',
        typeof options.callbacks,
      ),
    );
  }
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') {
    throw new ValueError(received('fit: shuffle must be true or false', 'shuffle', shuffle));
  }
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) {
    throw new ValueError(received('fit: verbose must be 0, 1 or 2', 'verbose', verbose));
  }
  return {
    workers,
    epochs,
    initialEpoch,
    batchSize,
    validationSplit,
    shuffle,
    seed,
    stepTimeoutMs,
    checkpoint,
    customObjects,
    verbose,
    printFn: options.printFn ?? ((line) => console.log(line)),
    trainingPath,
  };
}

/**
 * `validationData` is a Dataset with rows (model.fit's `[x, y]` is not); that it is data
 * of the training data's kind is checked once the training set is known (check-fit.ts).
 */
function checkValidationData(validation: unknown): void {
  if (validation === undefined) return;
  if (!(validation instanceof Dataset)) {
    throw new ValueError(
      received(
        'fit: validationData must be a Dataset from @tessera/datasets',
        'validationData',
        Array.isArray(validation) ? 'array' : typeof validation,
      ),
    );
  }
  if (validation.size === 0) {
    throw new ValueError(
      received(
        `fit: validationData needs at least one row (dataset "${validation.name}" has none)`,
        'rows',
        0,
      ),
    );
  }
}
