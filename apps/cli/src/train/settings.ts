/**
 * The settings of one `tessera train` run: each flag when given, else the built-in
 * model's default, else what the model was compiled with (a module's `createModel()` may
 * compile), else a default for the task. The learning rate applies to the optimizer
 * whichever way it was chosen.
 */
import { availableParallelism } from 'node:os';
import type { Task } from '@tessera/datasets';
import {
  type Loss,
  losses,
  type Model,
  metrics,
  type Optimizer,
  optimizers,
} from '@tessera/layers';
import { metricRecord } from '@tessera/trainer';
import { withContext } from '../errors.js';
import type {
  LearningRateScheduleName,
  NormalizeMethod,
  TrainingDefaults,
} from '../models/builtin-model.js';

/** The flags of `train` that override defaults (all optional). */
export interface TrainFlags {
  /** `--workers N` */
  workers?: number;
  /** `--epochs E` */
  epochs?: number;
  /** `--batch-size B` */
  batchSize?: number;
  /** `--optimizer NAME` */
  optimizer?: string;
  /** `--learning-rate LR` */
  learningRate?: number;
  /** `--lr-schedule NAME` */
  lrSchedule?: LearningRateScheduleName;
  /** `--loss NAME` */
  loss?: string;
  /** `--validation-split F` */
  validationSplit?: number;
  /** `--normalize METHOD` */
  normalize?: NormalizeMethod;
}

/** Every setting resolved. */
export interface TrainSettings {
  workers: number;
  epochs: number;
  batchSize: number;
  /** The optimizer instance (learning rate applied; the schedule is applied by `planRun`). */
  optimizer: Optimizer;
  /** How the learning rate moves over the run. */
  learningRateSchedule: LearningRateScheduleName;
  /** Canonical loss name. */
  loss: string;
  /** The loss with its options (labelSmoothing, reduction, …), serialized: what trains. */
  lossConfig: unknown;
  /** Metric names, or configs where the name alone would lose options (`precision` at 0.3). */
  metrics: unknown[];
  validationSplit: number;
  normalize: NormalizeMethod;
}

/** Defaults for a model that is not built in: Adam, and the task's usual loss and metric. */
export function taskDefaults(task: Task, trainSize: number): TrainingDefaults {
  return {
    epochs: 10,
    batchSize: 32,
    optimizer: 'adam',
    learningRate: 1e-3,
    learningRateSchedule: 'constant',
    loss: task === 'classification' ? 'categorical_crossentropy' : 'mean_squared_error',
    metrics: task === 'classification' ? ['accuracy'] : ['mae'],
    // Hold out a tenth for validation once a tenth is a whole row; fewer rows validate on none.
    validationSplit: Math.floor(trainSize * 0.1) >= 1 ? 0.1 : 0,
    normalize: 'standard',
  };
}

/** Resolves the settings; names that no registry knows fail with the flag in front. */
export function resolveSettings(args: {
  flags: TrainFlags;
  defaults: TrainingDefaults;
  /** The model, for the compile settings a module gave it. */
  model: Model;
  /** Whether built-in defaults apply (true) or the model's compile settings come first. */
  builtin: boolean;
}): TrainSettings {
  const { flags, defaults, model } = args;
  const compiled = args.builtin ? undefined : model.compiled;
  let optimizer: Optimizer;
  try {
    const base = flags.optimizer ?? compiled?.optimizer ?? defaults.optimizer;
    const learningRate =
      flags.learningRate ??
      (compiled !== undefined && flags.optimizer === undefined ? undefined : defaults.learningRate);
    optimizer = optimizers.get(
      base as Parameters<typeof optimizers.get>[0],
      learningRate === undefined ? {} : { learningRate },
    );
  } catch (err) {
    throw withContext('--optimizer', err);
  }
  let lossObject: Loss;
  try {
    lossObject = losses.get(
      (flags.loss ?? compiled?.loss ?? defaults.loss) as Parameters<typeof losses.get>[0],
    );
  } catch (err) {
    throw withContext('--loss', err);
  }
  const loss = lossObject.name;
  const metricIds: unknown[] =
    compiled !== undefined && compiled.metrics.length > 0
      ? compiled.metrics.map((m) => metricRecord(m, loss))
      : defaults.metrics;
  for (const m of metricIds) metrics.get(m as Parameters<typeof metrics.get>[0], { loss });
  return {
    workers: flags.workers ?? availableParallelism(),
    epochs: flags.epochs ?? defaults.epochs,
    batchSize: flags.batchSize ?? defaults.batchSize,
    optimizer,
    learningRateSchedule: flags.lrSchedule ?? defaults.learningRateSchedule,
    loss,
    lossConfig: losses.serialize(lossObject),
    metrics: [...metricIds],
    validationSplit: flags.validationSplit ?? defaults.validationSplit,
    normalize: flags.normalize ?? defaults.normalize,
  };
}
