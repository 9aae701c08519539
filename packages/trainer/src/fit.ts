/**
 * `fit(model, data, options)`: trains a model on every core. The main thread owns the
 * epoch order, the callbacks and the checkpoints; worker threads compute gradients of
 * their shard of each batch and update their slice of the weights in shared memory.
 *
 * ```ts
 * import { fit } from '@tessera/trainer';
 * const history = await fit(model, await loadMnist({ split: 'train' }), { workers: 4, epochs: 5, batchSize: 128 });
 * ```
 *
 * `fit` runs its stages in order, each in its own file under `fit/` (docs/architecture.md):
 * settings and resume, customObjects, data split (and sampleWeight), compile, model/data
 * check; then the pool's threads start loading (or those started beforehand with
 * `startThreads` are taken over) while this thread lays out the shared memory, checkpoints
 * and callbacks; then the threads get their session, and the run.
 */
import { ResidentKernels, received, StateError, ValueError } from '@tessera/core';
import { Dataset } from '@tessera/datasets';
import {
  applyConstraints,
  losses,
  type Metric,
  type Model,
  metrics as metricRegistry,
  optimizers,
} from '@tessera/layers';
import type { TrainerCallback } from './callbacks/callback.js';
import { ModelCheckpoint } from './callbacks/model-checkpoint.js';
import { checkModelFitsData, checkValidationMatches } from './check-fit.js';
import { bindCallbacks } from './fit/callbacks.js';
import { builtInCheckpoint, captureCheckpoint } from './fit/checkpointing.js';
import { compileForRun } from './fit/compile.js';
import { importCustomObjects } from './fit/custom-objects.js';
import { resolveRun, startPoint } from './fit/resume.js';
import { shareSampleWeights } from './fit/sample-weight.js';
import { shareWeights } from './fit/shared-weights.js';
import { splitValidation } from './fit/split.js';
import { TrainingHistory } from './history.js';
import type { FitOptions } from './options.js';
import { WorkerPool } from './pool.js';
import type { SessionInit } from './protocol.js';
import { type ResidentSession, residentSession } from './resident-session.js';
import { TrainingRun } from './run.js';
import type { SharedTrainingState } from './shared-state.js';
import { targetEncoding } from './targets.js';
import { StartedThreads, takeThreads } from './threads.js';
import { UnitSplitLayout } from './unit-split-layout.js';

export async function fit(
  model: Model,
  data: Dataset,
  options: FitOptions = {},
): Promise<TrainingHistory> {
  // Threads started beforehand (startThreads) are this call's to close, whatever fails.
  const threads = (options as FitOptions | null)?.threads;
  const given = threads instanceof StartedThreads ? threads : undefined;
  let spawned: WorkerPool | undefined;
  // Checkpoint callbacks write behind the training; a run that fails waits for them too.
  let checkpointWriters: ModelCheckpoint[] = [];
  try {
    if (!(data instanceof Dataset)) {
      throw new ValueError(
        received('fit: data must be a Dataset from @tessera/datasets', 'data', typeof data),
      );
    }
    // 1-5: settings, the user's modules, the data, what the model trains with, the check.
    const { opts, resume, classWeight } = await resolveRun(model, options);
    const customObjects = await importCustomObjects(opts.customObjects);
    const { train, validation } = splitValidation(
      data,
      opts.validationSplit,
      options.validationData,
    );
    if (validation !== undefined) checkValidationMatches(train, validation);
    const sampleWeight = shareSampleWeights(options, data, train, validation);
    if (!model.built) model.build([null, ...train.featureShape]);
    const compiled = compileForRun(model, options, resume);
    const encoding = targetEncoding(train, compiled.loss.name);
    // The validation set is of the training set's kind (checked above), so it fits too.
    checkModelFitsData(model, train, { lossName: compiled.loss.name });

    // The worker threads start here (unless started beforehand) and load their modules
    // while this thread lays out the run (the shared memory, the compressed rows); the
    // finally below always closes them.
    const pool =
      given !== undefined ? takeThreads(given) : WorkerPool.spawn({ workers: opts.workers });
    spawned = pool;
    // 6: the shared memory, with the model's weights bound onto it; the start point.
    const { state, path, trainableLength, metricStatistics, collective } = shareWeights(
      model,
      compiled,
      { train, validation },
      encoding,
      opts,
      classWeight !== undefined || sampleWeight !== undefined,
    );
    const history =
      resume !== undefined
        ? TrainingHistory.fromJSON(resume.history)
        : new TrainingHistory({ seed: opts.seed, workers: opts.workers });
    history.workers = opts.workers;
    history.trainingPath = path.report;
    const start = startPoint(resume, opts, model, state, compiled.optimizer.slotNames);

    // 7-8: checkpoints and callbacks. They read the run once it exists.
    let run: TrainingRun | undefined;
    const iteration = (): number => run?.iteration ?? start.iteration;
    const capture = captureCheckpoint({
      model,
      compiled,
      state,
      history,
      opts,
      extra: options.checkpointExtra,
      iteration,
      classWeight,
      validationData: options.validationData !== undefined,
    });
    const checkpoint = builtInCheckpoint(opts, validation !== undefined);
    const callbacks: TrainerCallback[] = [...(options.callbacks ?? [])];
    if (checkpoint !== undefined) callbacks.push(checkpoint);
    checkpointWriters = callbacks.filter((c) => c instanceof ModelCheckpoint);
    const list = bindCallbacks(callbacks, {
      model,
      compiled,
      state,
      iteration,
      capture: () => (run === undefined ? capture(start.progress, start.rng) : run.capture()),
    });

    // 9: what every thread builds its session from.
    const resident: ResidentSession | undefined =
      path.setup === undefined ? undefined : residentSession(path.setup, state, train, validation);
    const init: SessionInit = {
      shared: state.describe(),
      model: model.toJSON(),
      train: train.share().describe(),
      validation: validation?.share().describe(),
      loss: losses.serialize(compiled.loss),
      metrics: compiled.metrics.map(metricConfig),
      optimizer: optimizers.serialize(compiled.optimizer),
      targets: encoding,
      seed: opts.seed,
      customObjects,
      collective: collective.describe(),
      ...(resident === undefined ? {} : { resident }),
      ...(classWeight === undefined ? {} : { classWeight }),
      ...(sampleWeight === undefined ? {} : { sampleWeight }),
    };
    await pool.ready(init);
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
        optimizer: compiled.optimizer,
        metricNames: compiled.metrics.map((m) => m.name),
        metricStatistics,
        state,
        pool,
        train,
        validation,
        callbacks: list,
        history,
        trainableLength,
        constrained: model.trainableWeights.some((w) => w.constraint !== undefined),
        applyConstraints: () => applyConstraints(model),
        capture,
        interruptCheckpoint: () => checkpoint?.lastSaved,
        ...(resident?.split === undefined ? {} : { layout: splitLayout(state, resident) }),
      },
      start,
    );
    await run.run();
    return history;
  } finally {
    if (spawned !== undefined) await spawned.close();
    else await given?.close();
    await Promise.all(checkpointWriters.map((c) => c.settled()));
  }
}

/** The hidden kernel's layout during the runs of a step split by hidden units. */
function splitLayout(state: SharedTrainingState, resident: ResidentSession): UnitSplitLayout {
  const split = resident.split!;
  const memory = state.wasmMemory;
  if (memory === undefined) {
    throw new StateError(
      'fit: a step split by hidden units needs the shared state in WebAssembly memory. Received: no WebAssembly memory',
    );
  }
  // Worker 0's scratch holds this thread's GEMM context, which the layout's copies never use.
  const kernels = new ResidentKernels(memory, resident.scratch[0]!);
  const hidden = resident.plan.ops[0]!;
  if (hidden.kind !== 'dense') {
    throw new StateError(
      `fit: a step split by hidden units starts with a Dense layer. Received: ${hidden.kind}`,
    );
  }
  const kernel = state.store.entry(hidden.kernel).offset;
  return new UnitSplitLayout(state, kernels, split.shape, kernel, split.temp);
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
