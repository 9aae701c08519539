/**
 * Single-thread `fit`, `evaluate` and `predict`.
 *
 * `fit` binds the weights to a (non-shared) ParameterStore and drives the epoch loop
 * (epoch-loop.ts) — the same loop the data-parallel trainer drives — with an
 * InProcessRunner: per batch, the shared TrainingStep into a flat gradient array, then
 * `optimizer.applyUpdate` over the whole flat parameter vector, then `applyConstraints`,
 * exactly what the trainer does with several threads, so both produce the same weights
 * for a seed. `validationSplit` takes the last fraction of the rows before shuffling, as
 * Keras does.
 */
import { ParameterStore, received, StateError, type Tensor, tf, ValueError } from '@tessera/core';
import type { RunContext } from '../callbacks/callback.js';
import { CallbackList } from '../callbacks/callback-list.js';
import { History } from '../callbacks/history.js';
import type { CallbackLike } from '../callbacks/plain-callback.js';
import type { Optimizer } from '../optimizers/index.js';
import { type ModelData, toModelData } from './array-input.js';
import { evaluateBatches, withKeys } from './batch-results.js';
import { disposeAll, positiveInteger, rowCount, sliceRows, tensorList } from './data.js';
import { checkInitialEpoch, EpochLoop, freshStart } from './epoch-loop.js';
import { InProcessRunner, type SplitData } from './in-process-runner.js';
import type { Model } from './model.js';
import { bindWeights, parameterSpecs, trainableOffsets } from './parameters.js';
import { matchInputRanks } from './rank.js';
import { type ClassWeight, rowWeights, type SampleWeight } from './sample-weights.js';
import { drawSeed } from './seed.js';
import type { Shape } from './shape.js';
import { TrainingStep } from './training-step.js';

/** Options of `model.fit`. */
export interface FitArgs {
  /** Epoch to stop before (default 1). With `initialEpoch`, runs epochs [initialEpoch, epochs). */
  epochs?: number;
  /** Examples per gradient step (default 32). */
  batchSize?: number;
  /** Fraction in [0, 1) of the rows, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  /** `[x, y]` to evaluate after each epoch (takes precedence over validationSplit). */
  validationData?: [ModelData, ModelData];
  /** Shuffle the training rows before each epoch (default true). */
  shuffle?: boolean;
  /** Seeds shuffling and dropout (default: drawn from the process-wide generator). */
  seed?: number;
  /** Hooks called during training. */
  callbacks?: CallbackLike[];
  /** 0: silent; 1 or 2: one line per epoch through `printFn` (default 1, as Keras). */
  verbose?: 0 | 1 | 2;
  /** Where epoch lines go (default console.log). */
  printFn?: (line: string) => void;
  /** Epoch to start at, e.g. when resuming (default 0). */
  initialEpoch?: number;
  /** One weight per row, scaling its loss (Keras: `sum(w·loss) / rows` by default). */
  sampleWeight?: SampleWeight;
  /** A weight per class id, given to each row of that class (not with sampleWeight). */
  classWeight?: ClassWeight;
}

/** Options of `model.evaluate`. */
export interface EvaluateArgs {
  /** Examples per batch (default 32). */
  batchSize?: number;
  /** One weight per row, scaling its loss. */
  sampleWeight?: SampleWeight;
}

/** Options of `model.predict`. */
export interface PredictArgs {
  /** Examples per batch (default 32). */
  batchSize?: number;
}

/** Optimizer slots (one flat array per slot name) and the update count, kept between fits. */
export interface OptimizerState {
  /** Parameter names and store length the slots were laid out for. */
  layout: string;
  /** The optimizer the slots belong to. */
  optimizer: Optimizer;
  /** One flat array per `optimizer.slotNames` entry, as long as the parameter store. */
  slots: Float32Array[];
  /** Updates applied so far (the next one is `iteration + 1`). */
  iteration: number;
}

function requireCompiled(model: Model, what: string) {
  if (model.compiled === undefined) {
    throw new StateError(
      `Model "${model.name}" must be compiled before ${what}: call model.compile({ optimizer, loss, metrics }).`,
    );
  }
  return model.compiled;
}

/** Plain arrays → tensors (made ones go to `owned`); with `model`, shaped as its outputs. */
/** Model inputs: converted, then a trailing size-1 axis added or dropped to match the model's rank. */
function convertInputs(model: Model, value: ModelData, what: string, owned: Tensor[]): Tensor[] {
  const adapted = matchInputRanks(model.graph?.inputs, convert(value, what, owned));
  owned.push(...adapted.owned);
  return adapted.xs;
}

function convert(value: ModelData, what: string, owned: Tensor[], model?: Model): Tensor[] {
  const { tensors, owned: made } = toModelData(
    value,
    what,
    model?.outputs.map((o) => o.shape),
  );
  owned.push(...made);
  return tensorList(tensors, what);
}

function buildFor(model: Model, xs: readonly Tensor[]): void {
  const shapes = xs.map((t) => [null, ...t.shape.slice(1)] as Shape);
  model.ensureBuilt(shapes.length === 1 ? (shapes[0] as Shape) : shapes);
}

function optimizerState(model: Model, optimizer: Optimizer, store: ParameterStore): OptimizerState {
  const layout = `${store.names.join('|')}#${store.length}`;
  const kept = model.optimizerState;
  if (kept !== undefined && kept.layout === layout && kept.optimizer === optimizer) return kept;
  const state: OptimizerState = {
    layout,
    optimizer,
    slots: optimizer.slotNames.map(() => new Float32Array(store.length)),
    iteration: 0,
  };
  model.optimizerState = state;
  return state;
}

function checkFitArgs(args: FitArgs): {
  epochs: number;
  batchSize: number;
  initialEpoch: number;
  split: number;
} {
  const epochs = positiveInteger(args.epochs ?? 1, 'fit', 'epochs');
  const batchSize = positiveInteger(args.batchSize ?? 32, 'fit', 'batchSize');
  const initialEpoch = checkInitialEpoch(args.initialEpoch, epochs);
  const split = args.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
    throw new ValueError(
      received('fit: validationSplit must be a number in [0, 1)', 'validationSplit', split),
    );
  }
  return { epochs, batchSize, initialEpoch, split };
}

/** `model.fit`: see the module comment. */
export async function fitModel(
  model: Model,
  x: ModelData,
  y: ModelData,
  args: FitArgs,
): Promise<History> {
  const compiled = requireCompiled(model, 'fit');
  const { epochs, batchSize, initialEpoch, split } = checkFitArgs(args);
  const verbose = args.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2)
    throw new ValueError(received('fit: verbose must be 0, 1 or 2', 'verbose', verbose));
  const owned: Tensor[] = [];
  try {
    const { train, validation } = fitData(model, x, y, args, split, owned);
    const rows = rowCount([train.xs, train.ys], ['x', 'y']);
    if (rows === 0)
      throw new ValueError(received('fit: needs at least one training row', 'rows', rows));

    const seed = args.seed ?? drawSeed();
    // Each step's noise (dropout masks) is keyed by the seed and the step (step-noise.ts).
    const step = new TrainingStep(model, { loss: compiled.loss, metrics: compiled.metrics });
    const store = ParameterStore.create(parameterSpecs(model), { shared: false });
    bindWeights(model, store);
    const { offsets, end } = trainableOffsets(model, store);
    // Where each trainable weight lies, for clipnorm and excludeFromWeightDecay.
    const variables = model.trainableWeights.map((w, i) => ({
      name: w.name,
      start: offsets[i] as number,
      end: (offsets[i] as number) + w.size,
    }));
    const state = optimizerState(model, compiled.optimizer, store);
    const order = new Int32Array(rows);
    const shuffle = args.shuffle !== false;
    const runner = new InProcessRunner({
      model,
      step,
      optimizer: compiled.optimizer,
      params: store.data,
      offsets,
      end,
      variables,
      state,
      train,
      validation,
      order,
      shuffle,
      batchSize,
      seed,
    });

    const history = new History();
    const callbacks = new CallbackList<RunContext>(args.callbacks ?? []);
    const start = freshStart(seed, initialEpoch);
    start.iteration = state.iteration;
    const loop: EpochLoop<RunContext> = new EpochLoop({
      model,
      callbacks,
      runner,
      record: (epoch, logs) => history.record(epoch, logs),
      metricNames: step.metricNames,
      statistics: step.statistics,
      epochs,
      batchSize,
      samples: rows,
      order,
      shuffle,
      start,
      verbose,
      printFn: args.printFn ?? console.log,
    });
    callbacks.setTrainer({
      model,
      optimizer: compiled.optimizer,
      get iteration() {
        return loop.iteration;
      },
      snapshotWeights: () => store.snapshot(),
      restoreWeights: (values) => store.restore(values),
    });
    await loop.run();
    return history;
  } finally {
    disposeAll(owned);
  }
}

/**
 * The training rows and the validation rows (validationData, or the last `split` of the
 * rows before shuffling, weights included: Keras weighs the validation loss too). Every
 * tensor made here goes to `owned`.
 */
function fitData(
  model: Model,
  x: ModelData,
  y: ModelData,
  args: FitArgs,
  split: number,
  owned: Tensor[],
): { train: SplitData; validation: SplitData | undefined } {
  const xs = convertInputs(model, x, 'x', owned);
  buildFor(model, xs);
  const ys = convert(y, 'y', owned, model);
  const n = rowCount([xs, ys], ['x', 'y']);
  const weights = rowWeights('fit', args, ys[0] as Tensor, n);
  if (weights !== undefined) owned.push(weights);
  if (args.validationData !== undefined) {
    const [vx, vy] = args.validationData;
    const validation = {
      xs: convertInputs(model, vx, 'validationData x', owned),
      ys: convert(vy, 'validationData y', owned, model),
      weights: undefined,
    };
    const rows = rowCount([validation.xs, validation.ys], ['validationData x', 'validationData y']);
    if (rows === 0) {
      throw new ValueError(received('fit: validationData needs at least one row', 'rows', rows));
    }
    return { train: { xs, ys, weights }, validation };
  }
  if (split === 0) return { train: { xs, ys, weights }, validation: undefined };
  const splitAt = Math.floor(n * (1 - split));
  if (splitAt <= 0 || splitAt >= n) {
    throw new ValueError(
      received(
        `fit: validationSplit leaves no training or no validation rows out of ${n}`,
        'validationSplit',
        split,
      ),
    );
  }
  const part = (from: number, rows: number): SplitData => {
    const data: SplitData = {
      xs: sliceRows(xs, from, rows),
      ys: sliceRows(ys, from, rows),
      weights: weights === undefined ? undefined : sliceRows([weights], from, rows)[0],
    };
    owned.push(...data.xs, ...data.ys, ...(data.weights === undefined ? [] : [data.weights]));
    return data;
  };
  return { train: part(0, splitAt), validation: part(splitAt, n - splitAt) };
}

/** `model.evaluate`: weighted means over batches, `{ loss, <metric>… }`. */
export function evaluateModel(
  model: Model,
  x: ModelData,
  y: ModelData,
  args: EvaluateArgs,
): Record<string, number> {
  const compiled = requireCompiled(model, 'evaluate');
  const batchSize = positiveInteger(args.batchSize ?? 32, 'evaluate', 'batchSize');
  const owned: Tensor[] = [];
  try {
    const xs = convertInputs(model, x, 'x', owned);
    buildFor(model, xs);
    const ys = convert(y, 'y', owned, model);
    const step = new TrainingStep(model, { loss: compiled.loss, metrics: compiled.metrics });
    const weights = rowWeights('evaluate', args, ys[0] as Tensor, rowCount([xs, ys], ['x', 'y']));
    if (weights !== undefined) owned.push(weights);
    return withKeys(step.metricNames, evaluateBatches(step, xs, ys, batchSize, weights));
  } finally {
    disposeAll(owned);
  }
}

/** `model.predict`: inference in batches; one tensor per output. */
export function predictModel(model: Model, x: ModelData, args: PredictArgs): Tensor | Tensor[] {
  const batchSize = positiveInteger(args.batchSize ?? 32, 'predict', 'batchSize');
  const owned: Tensor[] = [];
  try {
    return predictTensors(model, convertInputs(model, x, 'x', owned), batchSize);
  } finally {
    disposeAll(owned);
  }
}

function predictTensors(model: Model, xs: Tensor[], batchSize: number): Tensor | Tensor[] {
  const n = rowCount([xs], ['x']);
  buildFor(model, xs);
  const run = (batch: Tensor[]): Tensor[] =>
    tf.tidy(() =>
      model
        .invoke(batch, { training: false })
        .map((t) => (batch.includes(t) || xs.includes(t) ? tf.clone(t) : t)),
    );
  let outputs: Tensor[];
  if (n <= batchSize) {
    outputs = run(xs);
  } else {
    const parts: Tensor[][] = [];
    try {
      for (let start = 0; start < n; start += batchSize) {
        const batch = sliceRows(xs, start, Math.min(batchSize, n - start));
        try {
          parts.push(run(batch));
        } finally {
          disposeAll(batch);
        }
      }
      outputs = (parts[0] as Tensor[]).map((_, k) =>
        tf.concat(
          parts.map((p) => p[k] as Tensor),
          0,
        ),
      );
    } finally {
      for (const p of parts) disposeAll(p);
    }
  }
  return outputs.length === 1 ? (outputs[0] as Tensor) : outputs;
}
