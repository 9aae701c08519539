/**
 * Everything `train` decides before the first step: the model (fresh, or from the
 * checkpoint it resumes), the data and its normalisation, the settings, and the record
 * every checkpoint will carry. Fails early — before workers start — on bad names, data
 * the model does not fit, and unknown optimizers or losses.
 */
import { ValueError } from '@tessera/core';
import { type Dataset, fitNormalizer, Normalizer } from '@tessera/datasets';
import { losses, type Model, setGlobalSeed } from '@tessera/layers';
import { checkModelSize, checkWorkerCount } from '@tessera/trainer';
import { type CliCheckpointExtra, dataFacts } from '../checkpoint/cli-extra.js';
import { type OpenCheckpoint, openCheckpoint } from '../checkpoint/open-checkpoint.js';
import { checkModelFitsData } from '../data/check-fit.js';
import { loadTrainingData } from '../data/resolve-dataset.js';
import { checkValidationSplit } from '../data/split-rows.js';
import { findBuiltinModel } from '../models/builtins.js';
import {
  customObjectPaths,
  importCustomObjects,
  namesAddedSince,
  registeredNames,
} from '../models/custom-objects.js';
import { namesUsedBy } from '../models/names-used.js';
import { modelKind, resolveModel } from '../models/resolve-model.js';
import { applySchedule, checkResumedRate, runSteps } from './learning-rate-schedule.js';
import { checkResumeFlags } from './resume-conflicts.js';
import { resolveSettings, type TrainFlags, type TrainSettings, taskDefaults } from './settings.js';

/** The flags `planRun` reads. */
export interface PlanOptions extends TrainFlags {
  /** `--model` (optional with `--resume`). */
  model?: string;
  /** `--dataset` (default: the built-in model's, or the checkpoint's). */
  dataset?: string;
  /** `--seed` */
  seed?: number;
  /** `--resume FILE` */
  resume?: string;
  /** `--data-dir DIR` */
  dataDir?: string;
  /** `--custom-objects FILE` (repeatable): modules whose code runs to register names. */
  customObjects?: string[];
}

/** A run, ready for `fit`. */
export interface RunPlan {
  model: Model;
  /** How the user named model and data (for messages). */
  modelLabel: string;
  datasetLabel: string;
  /** Normalised training data (validation is split from it by the trainer). */
  train: Dataset;
  /** Normalised test data. */
  test: Dataset;
  /** What the test data is, for the report. */
  testDescription: string;
  settings: TrainSettings;
  validationSplit: number;
  /** Seed of weights, order and dropout. */
  seed: number;
  /** Examples per step (a resumed run keeps its own). */
  batchSize: number;
  /** Epochs the run ends at (a resumed run keeps its own unless --epochs says otherwise). */
  epochs: number;
  /** Modules every worker imports first (only ones the user named). */
  customObjects: string[];
  /** The CLI's record in every checkpoint. */
  extra: CliCheckpointExtra;
  /** The checkpoint being resumed, if any. */
  resumed: OpenCheckpoint | undefined;
}

/** Decides the run; see the module comment. */
export async function planRun(options: PlanOptions): Promise<RunPlan> {
  if (options.model === undefined && options.resume === undefined) {
    throw new ValueError(
      "required option '--model <builtin|file.json|module.js>' not specified (or --resume FILE)",
    );
  }
  const before = registeredNames();
  // Resuming with `--model file.js` names that module: it is imported like --custom-objects.
  const userModules = [
    ...(options.customObjects ?? []),
    ...(options.resume !== undefined &&
    options.model !== undefined &&
    modelKind(options.model) === 'module'
      ? [options.model]
      : []),
  ];
  const resumed =
    options.resume === undefined
      ? undefined
      : await openCheckpoint(options.resume, { customObjects: userModules, option: '--resume' });
  if (resumed !== undefined) checkResumeFlags(options, resumed);
  else await importCustomObjects(options.customObjects);
  // A resumed run continues with its own seed (the trainer insists on it).
  const seed = resumed?.data.run.seed ?? options.seed ?? Math.floor(Math.random() * 0xffffffff);
  setGlobalSeed(seed);
  const resolved = resumed !== undefined ? undefined : await resolveModel(options.model!, { seed });
  const model = resumed?.model ?? resolved!.model;
  const modelLabel = options.model ?? resumed?.extra.model.ref ?? '';
  const datasetLabel =
    options.dataset ?? resolved?.builtin?.dataset ?? resumed?.extra.data.source.ref;
  if (datasetLabel === undefined) {
    throw new ValueError(
      `required option '--dataset <name|file.csv>' not specified (the model ${modelLabel} has no default dataset)`,
    );
  }
  const data = loadTrainingData(datasetLabel, { dataDir: options.dataDir });

  const builtin =
    resolved?.builtin ??
    (resumed?.extra.model.kind === 'builtin'
      ? findBuiltinModel(resumed.extra.model.ref)
      : undefined);
  const settings = resolveSettings({
    flags: resumed === undefined ? options : { ...options, optimizer: undefined },
    defaults: builtin?.training ?? taskDefaults(data.train.task, data.train.size),
    model,
    builtin: builtin !== undefined,
  });
  if (resumed !== undefined && options.loss === undefined) {
    // A resumed run keeps its loss and metrics (the trainer reads them from the checkpoint).
    settings.loss = losses.get(resumed.data.compile.loss as Parameters<typeof losses.get>[0]).name;
    settings.lossConfig = resumed.data.compile.loss;
    settings.metrics = [...resumed.data.compile.metrics];
  }
  // A model file without an input shape is built here for the data's example shape, as
  // Keras builds on the first fit; only then are its parameters known to count. Its size
  // is estimated for that shape first, so a huge first layer is refused before it exists.
  if (!model.built) checkShapelessSize(model, data.train.featureShape, modelLabel);
  checkModelFitsData(model, data.train, settings.loss, {
    model: modelLabel,
    dataset: datasetLabel,
  });
  checkWorkerCount(settings.workers, model.countParams());

  // Normalise with the statistics of the training split (a resumed run keeps its own).
  let normalizer: Normalizer | undefined;
  if (resumed?.extra.normalizer !== undefined)
    normalizer = Normalizer.fromJSON(resumed.extra.normalizer);
  else if (resumed === undefined && settings.normalize !== 'none')
    normalizer = fitNormalizer(data.train, { method: settings.normalize });

  const validationSplit =
    options.validationSplit ?? resumed?.extra.training?.validationSplit ?? settings.validationSplit;
  checkValidationSplit(validationSplit, {
    spec: datasetLabel,
    kind: data.source.kind,
    trainRows: data.train.size,
    csvRows: data.train.size + data.test.size,
  });
  // A resumed run's optimizer, schedule included, comes from its checkpoint.
  const batchSize = resumed?.data.run.batchSize ?? settings.batchSize;
  const epochs = options.epochs ?? resumed?.data.run.epochs ?? settings.epochs;
  const steps = runSteps({ examples: data.train.size, validationSplit, batchSize, epochs });
  if (resumed === undefined)
    applySchedule(settings.optimizer, settings.learningRateSchedule, steps);
  else checkResumedRate(resumed.data.optimizer, steps, epochs);
  const customObjects = [
    ...new Set([...customObjectPaths(userModules), ...(resolved?.customObjects ?? [])]),
  ];
  // The checkpoint records the names the model uses that the user's modules registered.
  const added = new Set(namesAddedSince(before));
  const customObjectNames = [
    ...new Set([
      ...(resumed?.extra.customObjectNames ?? []),
      ...namesUsedBy(model.toJSON()).filter((name) => added.has(name)),
    ]),
  ];
  return {
    model,
    modelLabel,
    datasetLabel,
    train: normalizer === undefined ? data.train : normalizer.apply(data.train),
    test: normalizer === undefined ? data.test : normalizer.apply(data.test),
    testDescription: data.testDescription,
    settings,
    validationSplit,
    seed,
    batchSize,
    epochs,
    customObjects,
    extra: {
      format: 'tessera-cli',
      version: 2,
      model: resolved?.source ?? resumed!.extra.model,
      customObjectNames,
      data: dataFacts(data.source, data.train, data.labelName),
      ...(normalizer === undefined ? {} : { normalizer: normalizer.toJSON() }),
      training: { validationSplit },
    },
    resumed,
  };
}

/**
 * Refuses a Sequential model without an input shape whose size, with its first layer given
 * the data's example shape, cannot fit in memory (model-size.ts in the trainer) — before
 * building it allocates that size.
 */
function checkShapelessSize(model: Model, featureShape: readonly number[], label: string): void {
  const json = model.toJSON() as { config?: { layers?: { config?: Record<string, unknown> }[] } };
  const first = json.config?.layers?.[0]?.config;
  if (first === undefined) return;
  first['inputShape'] = [...featureShape];
  checkModelSize(json, label);
}
