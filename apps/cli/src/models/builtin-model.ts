/**
 * What a built-in model is: a function that builds it, the dataset it is made for, and
 * the training settings `tessera train` uses unless flags override them.
 */
import type { BuiltinDatasetName } from '@tessera/datasets';
import type { Model } from '@tessera/layers';

/** How features are rescaled before training (fit on the training split only). */
export type NormalizeMethod = 'none' | 'standard' | 'minmax' | 'max';

/** Every normalisation `--normalize` accepts. */
export const NORMALIZE_METHODS: readonly NormalizeMethod[] = ['none', 'standard', 'minmax', 'max'];

/**
 * How the learning rate moves over a run: `constant`, or `cosine` — from the learning rate
 * at the first step down to 0 after the run's last, along half a cosine (Keras's
 * `CosineDecay`; learning-rate-schedule.ts).
 */
export type LearningRateScheduleName = 'constant' | 'cosine';

/** Every schedule `--lr-schedule` accepts. */
export const LEARNING_RATE_SCHEDULES: readonly LearningRateScheduleName[] = ['constant', 'cosine'];

/** Training settings; each has a `train` flag that overrides it. */
export interface TrainingDefaults {
  /** Passes over the training data (`--epochs`). */
  epochs: number;
  /** Examples per step across all workers (`--batch-size`). */
  batchSize: number;
  /** Optimizer name (`--optimizer`). */
  optimizer: string;
  /** Optimizer step size (`--learning-rate`): the first step's, with a schedule. */
  learningRate: number;
  /** How the step size moves over the run (`--lr-schedule`). */
  learningRateSchedule: LearningRateScheduleName;
  /** Loss name (`--loss`). */
  loss: string;
  /** Metrics reported besides the loss. */
  metrics: string[];
  /** Fraction of the training split held out for validation (`--validation-split`). */
  validationSplit: number;
  /** Feature normalisation (`--normalize`). */
  normalize: NormalizeMethod;
}

/** A model `--model` accepts by name. */
export interface BuiltinModel {
  /** Name on the command line, e.g. `mnist-mlp`. */
  readonly name: string;
  /** One line on what it is. */
  readonly description: string;
  /** The dataset it is made for (the default `--dataset`). */
  readonly dataset: BuiltinDatasetName;
  /** Builds a fresh model; `seed` fixes its initial weights. */
  create(options: { seed?: number }): Model;
  /** Defaults of `tessera train` for this model. */
  readonly training: TrainingDefaults;
}
