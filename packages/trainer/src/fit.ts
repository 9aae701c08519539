/**
 * `fit(model, data, options)`: trains a model on every core. The main thread owns the
 * epoch order, the callbacks and the checkpoints; worker threads compute gradients of
 * their shard of each batch and update their slice of the weights in shared memory.
 *
 * ```ts
 * import { fit } from '@tessera/trainer';
 * const history = await fit(model, await loadMnist({ split: 'train' }), { workers: 4, epochs: 5, batchSize: 128 });
 * ```
 */

import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { planLayout, Rng, received, ShapeError, ValueError } from '@tessera/core';
import { Dataset } from '@tessera/datasets';
import {
  applyConstraints,
  bindWeights,
  type CompileArgs,
  type Loss,
  losses,
  type Metric,
  MetricStatistics,
  type Model,
  metrics as metricRegistry,
  optimizers,
  parameterSpecs,
} from '@tessera/layers';
import { CallbackList, type TrainerCallback, type TrainerContext } from './callbacks/callback.js';
import { type ModelCheckpoint, modelCheckpoint } from './callbacks/model-checkpoint.js';
import { type CheckpointData, type EpochProgress, loadCheckpoint } from './checkpoint.js';
import {
  validateCheckpointAgainstModel,
  validateCheckpointFields,
} from './checkpoint-validation.js';
import { TrainingHistory } from './history.js';
import { type FitOptions, resolveFitOptions } from './options.js';
import { WorkerPool } from './pool.js';
import type { SessionInit } from './protocol.js';
import { type StartPoint, TrainingRun } from './run.js';
import { SharedTrainingState } from './shared-state.js';
import { targetEncoding } from './targets.js';
import { chooseTrainingPath, residentSession } from './training-path.js';

/** Module specifier a worker can import: file URLs pass through, paths become file URLs. */
function moduleUrl(spec: string): string {
  if (spec.startsWith('file:')) return spec;
  return pathToFileURL(isAbsolute(spec) ? spec : resolve(spec)).href;
}

/** Validation data: an explicit set, or the last fraction of the training data (as Keras). */
function splitValidation(
  data: Dataset,
  fraction: number,
  explicit: Dataset | undefined,
): { train: Dataset; validation: Dataset | undefined } {
  if (explicit !== undefined) return { train: data, validation: explicit };
  if (fraction === 0) return { train: data, validation: undefined };
  const held = Math.floor(data.size * fraction);
  if (held === 0 || held === data.size) {
    throw new ValueError(
      received(
        `fit: validationSplit leaves no ${held === 0 ? 'validation' : 'training'} examples of ${data.size}`,
        'validationSplit',
        fraction,
      ),
    );
  }
  const cut = data.size - held;
  return {
    train: data.take(cut),
    validation: data.select(Int32Array.from({ length: held }, (_, i) => cut + i)),
  };
}

/** Model input and output must fit the data; say how they differ when they do not. */
function checkModelFitsData(model: Model, data: Dataset, encoding: string): void {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new ValueError(
      received(
        'fit: the data-parallel trainer takes models with one input and one output',
        'inputs/outputs',
        [model.inputs.length, model.outputs.length],
      ),
    );
  }
  const input = (model.inputShapes[0] ?? []).slice(1);
  if (
    input.length !== data.featureShape.length ||
    input.some((d, i) => d !== null && d !== data.featureShape[i])
  ) {
    throw new ShapeError(
      `fit: the model takes examples of shape ${JSON.stringify(input)} but dataset "${data.name}" has examples of shape ${JSON.stringify(data.featureShape)}`,
    );
  }
  const output = model.outputShape as (number | null)[];
  const last = output[output.length - 1];
  const want =
    encoding === 'one-hot' || encoding === 'sparse'
      ? data.numClasses
      : encoding === 'binary'
        ? 1
        : data.targetSize;
  if (last !== want) {
    throw new ShapeError(
      `fit: the model has ${last} output units but dataset "${data.name}" needs ${want} (${encoding === 'regression' ? 'target values' : 'classes'})`,
    );
  }
}

export async function fit(
  model: Model,
  data: Dataset,
  options: FitOptions = {},
): Promise<TrainingHistory> {
  if (!(data instanceof Dataset)) {
    throw new ValueError(
      received('fit: data must be a Dataset from @tessera/datasets', 'data', typeof data),
    );
  }
  const opts = resolveFitOptions(options);
  const resume: CheckpointData | undefined =
    typeof options.resume === 'string' ? await loadCheckpoint(options.resume) : options.resume;
  if (resume !== undefined) {
    // Every field is checked before use, whether the checkpoint came from a file or the caller.
    const where = typeof options.resume === 'string' ? options.resume : 'fit: resume';
    validateCheckpointFields(resume, where);
    if (model.built) validateCheckpointAgainstModel(resume, model, where);
    // A resumed run continues the same run: its order and batches come from the checkpoint.
    opts.seed = resume.run.seed;
    opts.batchSize = resume.run.batchSize;
    opts.shuffle = resume.run.shuffle;
    if (options.epochs === undefined) opts.epochs = resume.run.epochs;
  }

  const customObjects = opts.customObjects.map(moduleUrl);
  for (const url of customObjects) {
    try {
      await import(url);
    } catch (cause) {
      throw new ValueError(
        received(
          `fit: cannot import a customObjects module (${(cause as Error).message})`,
          'customObjects',
          url,
        ),
        { cause },
      );
    }
  }
  const { train, validation } = splitValidation(data, opts.validationSplit, options.validationData);
  if (!model.built) model.build([null, ...train.featureShape]);

  const compiled = model.compiled;
  const lossId = options.loss ?? resume?.compile.loss ?? compiled?.loss;
  const optimizerId = options.optimizer ?? resume?.optimizer.config ?? compiled?.optimizer;
  if (lossId === undefined || optimizerId === undefined) {
    throw new ValueError(
      'fit: no loss or optimizer: call model.compile({ optimizer, loss }) or pass them in the options. Received: ' +
        `loss=${lossId === undefined ? 'undefined' : 'set'}, optimizer=${optimizerId === undefined ? 'undefined' : 'set'}`,
    );
  }
  const metricIds = options.metrics ?? resume?.compile.metrics ?? compiled?.metrics ?? [];
  if (
    compiled === undefined ||
    options.loss !== undefined ||
    options.optimizer !== undefined ||
    options.metrics !== undefined ||
    resume !== undefined
  ) {
    // fit's settings become the model's compiled state, so callbacks that read
    // model.compiled (reduceLROnPlateau) act on the optimizer this run uses.
    model.compile({
      optimizer: optimizerId as CompileArgs['optimizer'],
      loss: lossId as CompileArgs['loss'],
      metrics: metricIds as CompileArgs['metrics'],
    });
  }
  const { optimizer, loss, metrics: metricList } = model.compiled!;
  if (optimizer.globalClipnorm !== null) {
    // Each worker updates a slice: the norm of the whole gradient would need one more
    // exchange between the workers per step, which the step protocol does not have yet.
    throw new ValueError(
      received(
        `fit: the data-parallel trainer cannot clip by the global norm yet; use clipvalue, or model.fit on one thread`,
        'globalClipnorm',
        optimizer.globalClipnorm,
      ),
    );
  }
  if (optimizer.clipnorm !== null) {
    // Each worker sums and updates a slice of the gradient; a variable's norm would need its
    // whole gradient, which a slice boundary may cut.
    throw new ValueError(
      received(
        'fit: the data-parallel trainer cannot clip each variable by its norm yet; use clipvalue, or model.fit on one thread',
        'clipnorm',
        optimizer.clipnorm,
      ),
    );
  }
  if (opts.workers > 1 && model.layers.some((l) => l.className === 'BatchNormalization')) {
    // Each worker would normalise with its own shard's statistics, not the global batch's.
    throw new ValueError(
      received(
        'fit: BatchNormalization needs the statistics of the whole batch, which the data-parallel trainer does not exchange yet; expected workers=1 (or model.fit)',
        'workers',
        opts.workers,
      ),
    );
  }
  checkLossShards(loss);
  const encoding = targetEncoding(train, loss.name);
  checkModelFitsData(model, train, encoding);
  if (validation !== undefined) checkModelFitsData(model, validation, encoding);

  const specs = parameterSpecs(model);
  const layout = planLayout(specs);
  // Floats at the start of the parameter vector that the optimizer updates (the trainable weights).
  const trainable = new Set(model.trainableWeights.map((w) => w.name));
  const trainableLength = Math.max(
    0,
    ...layout.entries.filter((e) => trainable.has(e.name)).map((e) => e.offset + e.size),
  );
  const path = chooseTrainingPath({
    requested: opts.trainingPath,
    model,
    loss,
    metrics: metricList,
    encoding,
    train,
    workers: opts.workers,
    batchSize: opts.batchSize,
    // A slice's gradient buffer holds the whole parameter vector, so optimizers that take
    // parameter-indexed arrays can read it in place (it costs one vector per worker).
    sliceFloats: layout.length,
    trainableLength,
    weighted: options.classWeight !== undefined,
    perVariable: optimizer.perVariable,
  });
  // Workers report metric statistics (precision's counts, AUC's confusion curves) that the
  // main thread adds up, so epoch metrics are those of all rows, as on one thread.
  const metricStatistics = new MetricStatistics(
    metricList,
    model.outputs.map((o) => o.shape),
  );
  const state = SharedTrainingState.create({
    specs,
    workers: opts.workers,
    slotCount: optimizer.slotNames.length,
    metricCount: metricStatistics.size,
    examples: train.size,
    ...(path.setup === undefined
      ? {}
      : { resident: { extraBytes: path.setup.extraBytes, gradientSlots: false } }),
  });
  bindWeights(model, state.store);
  const history =
    resume !== undefined
      ? TrainingHistory.fromJSON(resume.history)
      : new TrainingHistory({ seed: opts.seed, workers: opts.workers });
  history.workers = opts.workers;
  history.trainingPath = path.report;
  const start: StartPoint =
    resume !== undefined
      ? restore(resume, model, state, optimizer.slotNames)
      : freshStart(opts.seed);

  const callbacks: TrainerCallback[] = [...(options.callbacks ?? [])];
  let builtIn: ModelCheckpoint | undefined;
  if (opts.checkpoint !== undefined) {
    builtIn = modelCheckpoint({
      dir: opts.checkpoint.dir,
      everyEpochs: opts.checkpoint.every,
      everySteps: opts.checkpoint.everySteps,
      keep: opts.checkpoint.keep,
      monitor: opts.checkpoint.monitor ?? (validation !== undefined ? 'val_loss' : 'loss'),
      saveBest: true,
    });
    callbacks.push(builtIn);
  }
  const list = new CallbackList(callbacks);

  const init: SessionInit = {
    shared: state.describe(),
    model: model.toJSON(),
    train: train.share().describe(),
    validation: validation?.share().describe(),
    loss: losses.serialize(loss),
    metrics: metricList.map(metricConfig),
    optimizer: optimizers.serialize(optimizer),
    targets: encoding,
    seed: opts.seed,
    customObjects,
    ...(path.setup === undefined ? {} : { resident: residentSession(path.setup, state, train) }),
    ...(options.classWeight === undefined ? {} : { classWeight: options.classWeight }),
  };
  const constrained = model.trainableWeights.filter((w) => w.constraint !== undefined);
  let run: TrainingRun | undefined;
  const slotViews = state.optimizerSlots();
  const capture = (progress: EpochProgress, rng: StartPoint['rng']): CheckpointData => ({
    format: 'tessera-checkpoint',
    model: model.toJSON(),
    weights: state.store.snapshot(),
    optimizer: {
      config: optimizers.serialize(optimizer),
      iteration: run?.iteration ?? start.iteration,
      slots: Object.fromEntries(
        optimizer.slotNames.map((name, i) => [name, slotViews[i]!.slice()]),
      ),
    },
    compile: { loss: losses.serialize(loss), metrics: metricList.map((m) => m.name) },
    progress: { ...progress, metricSums: [...progress.metricSums] },
    run: {
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      shuffle: opts.shuffle,
      seed: opts.seed,
      workers: opts.workers,
    },
    rng,
    history: history.toJSON(),
    extra: options.checkpointExtra ?? {},
    savedAt: new Date().toISOString(),
  });
  const context: TrainerContext = {
    model,
    optimizer,
    get iteration() {
      return run?.iteration ?? start.iteration;
    },
    snapshotWeights: () => state.store.snapshot(),
    restoreWeights: (values) => state.store.restore(values),
    capture: () => (run === undefined ? capture(start.progress, start.rng) : run.capture()),
  };
  list.bind(model, context, {
    epochs: opts.epochs,
    steps: Math.ceil(train.size / opts.batchSize),
    samples: train.size,
    verbose: opts.verbose,
  });
  // Started last: from here on the finally below always closes the threads.
  const pool = await WorkerPool.start({
    workers: opts.workers,
    init,
    taskTimeoutMs: opts.stepTimeoutMs,
  });
  try {
    run = new TrainingRun(
      {
        epochs: opts.epochs,
        batchSize: opts.batchSize,
        shuffle: opts.shuffle,
        seed: opts.seed,
        workers: opts.workers,
        verbose: opts.verbose,
        printFn: opts.printFn,
        signal: options.signal,
        stepTimeoutMs: opts.stepTimeoutMs,
      },
      {
        model,
        optimizer,
        metricNames: metricList.map((m) => m.name),
        metricStatistics,
        state,
        pool,
        train,
        validation,
        callbacks: list,
        history,
        trainableLength,
        constrained: constrained.length > 0,
        applyConstraints: () => applyConstraints(model),
        capture,
        interruptCheckpoint: () => builtIn?.lastSaved,
      },
      start,
    );
    await run.run();
  } finally {
    await pool.close();
  }
  return history;
}

function freshStart(seed: number): StartPoint {
  return {
    iteration: 0,
    progress: { epoch: 0, batch: 0, lossSum: 0, metricSums: [], examples: 0 },
    rng: new Rng(seed).getState(),
  };
}

/** Puts a checkpoint's weights and optimizer state into the shared buffers. */
function restore(
  data: CheckpointData,
  model: Model,
  state: SharedTrainingState,
  slotNames: readonly string[],
): StartPoint {
  for (const w of model.weights) {
    const values = data.weights[w.name];
    if (values === undefined) {
      throw new ValueError(
        received(
          `fit: the checkpoint has no weight "${w.name}"; it was saved from another model`,
          'resume',
          Object.keys(data.weights),
        ),
      );
    }
    state.store.set(w.name, values);
  }
  const slots = state.optimizerSlots();
  slotNames.forEach((name, i) => {
    const values = data.optimizer.slots[name];
    if (values === undefined || values.length !== state.length) {
      throw new ValueError(
        received(
          `fit: the checkpoint's optimizer state "${name}" must hold ${state.length} values for this model`,
          `optimizer.slots.${name}.length`,
          values?.length,
        ),
      );
    }
    slots[i]!.set(values);
  });
  return { iteration: data.optimizer.iteration, progress: data.progress, rng: data.rng };
}

/**
 * Each worker's shard loss is scaled by shard/B, which is exact only for a mean over the
 * batch's rows: a summed loss, or one that divides by the rows ignoreClass leaves, would
 * need the batch-wide divisor. Such losses train with model.fit on one thread.
 */
function checkLossShards(loss: Loss): void {
  const reduction = loss.reduction ?? 'sum_over_batch_size';
  if (reduction !== 'sum_over_batch_size') {
    throw new ValueError(
      received(
        "fit: the data-parallel trainer needs the loss reduction 'sum_over_batch_size'; use model.fit on one thread for others",
        'reduction',
        reduction,
      ),
    );
  }
  const ignoreClass = (loss as { ignoreClass?: number | null }).ignoreClass;
  if (ignoreClass !== undefined && ignoreClass !== null) {
    throw new ValueError(
      received(
        'fit: the data-parallel trainer cannot use ignoreClass (each shard would divide by its own rows left); use model.fit on one thread',
        'ignoreClass',
        ignoreClass,
      ),
    );
  }
}

/**
 * A metric as the workers rebuild it: its serialized config when it has one (so options
 * such as a threshold reach them), else its name.
 */
function metricConfig(metric: Metric): unknown {
  try {
    return metricRegistry.serialize(metric);
  } catch {
    return metric.name;
  }
}
