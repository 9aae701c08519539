/**
 * Single-thread `fit`, `evaluate` and `predict`.
 *
 * `fit` binds the weights to a (non-shared) ParameterStore and, per batch, runs the
 * shared TrainingStep into a flat gradient array, then `optimizer.applyUpdate` over the
 * whole flat parameter vector, then `applyConstraints` — exactly what the trainer does
 * with several threads, so both produce the same weights for a seed. Shuffling draws
 * from `new Rng(seed)`; `validationSplit` takes the last fraction of the rows before
 * shuffling, as Keras does.
 */
import {
  ParameterStore,
  Rng,
  received,
  StateError,
  type Tensor,
  tf,
  ValueError,
} from '@tessera/core';
import type { Logs } from '../callbacks/callback.js';
import { CallbackList } from '../callbacks/callback-list.js';
import { History } from '../callbacks/history.js';
import type { CallbackLike } from '../callbacks/plain-callback.js';
import type { Optimizer } from '../optimizers/index.js';
import { type ModelData, toModelData } from './array-input.js';
import { evaluateBatches, Mean, withKeys } from './batch-results.js';
import {
  disposeAll,
  gatherRows,
  positiveInteger,
  rowCount,
  sliceRows,
  tensorList,
} from './data.js';
import type { Model } from './model.js';
import { bindWeights, parameterSpecs, trainableOffsets } from './parameters.js';
import { matchInputRanks } from './rank.js';
import { type ClassWeight, rowWeights, type SampleWeight } from './sample-weights.js';
import { drawSeed } from './seed.js';
import type { Shape } from './shape.js';
import { applyConstraints, type StepResult, TrainingStep } from './training-step.js';

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
  /** 0: silent; 1 or 2: one line per epoch through `printFn` (default 1). */
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
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new ValueError(
      received(
        `fit: initialEpoch must be an integer in [0, epochs=${epochs})`,
        'initialEpoch',
        initialEpoch,
      ),
    );
  }
  const split = args.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
    throw new ValueError(
      received('fit: validationSplit must be a number in [0, 1)', 'validationSplit', split),
    );
  }
  return { epochs, batchSize, initialEpoch, split };
}

function epochLine(epoch: number, epochs: number, steps: number, ms: number, logs: Logs): string {
  const values = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`);
  return [`Epoch ${epoch + 1}/${epochs}`, `${steps} steps`, `${Math.round(ms)}ms`, ...values].join(
    ' - ',
  );
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
  const owned: Tensor[] = [];
  const xsAll = convertInputs(model, x, 'x', owned);
  buildFor(model, xsAll);
  const ysAll = convert(y, 'y', owned, model);
  const n = rowCount([xsAll, ysAll], ['x', 'y']);
  const weightsAll = rowWeights('fit', args, ysAll[0] as Tensor, n);
  if (weightsAll !== undefined) owned.push(weightsAll);

  let xs = xsAll;
  let ys = ysAll;
  let weights = weightsAll;
  let valWeights: Tensor | undefined;
  let val: [Tensor[], Tensor[]] | undefined;
  if (args.validationData !== undefined) {
    const [vx, vy] = args.validationData;
    val = [
      convertInputs(model, vx, 'validationData x', owned),
      convert(vy, 'validationData y', owned, model),
    ];
  } else if (split > 0) {
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
    xs = sliceRows(xsAll, 0, splitAt);
    ys = sliceRows(ysAll, 0, splitAt);
    if (weightsAll !== undefined) {
      // Keras splits the weights with the rows: the validation loss is weighted too.
      weights = sliceRows([weightsAll], 0, splitAt)[0];
      valWeights = sliceRows([weightsAll], splitAt, n - splitAt)[0];
      owned.push(weights as Tensor, valWeights as Tensor);
    }
    val = [sliceRows(xsAll, splitAt, n - splitAt), sliceRows(ysAll, splitAt, n - splitAt)];
    owned.push(...xs, ...ys, ...val[0], ...val[1]);
  }
  const nTrain = rowCount([xs, ys], ['x', 'y']);
  if (nTrain === 0)
    throw new ValueError(received('fit: needs at least one training row', 'rows', nTrain));

  const rng = new Rng(args.seed ?? drawSeed());
  const shuffleStream = rng.stream('shuffle');
  const step = new TrainingStep(model, {
    loss: compiled.loss,
    metrics: compiled.metrics,
    rng: rng.stream('dropout'),
  });
  const store = ParameterStore.create(parameterSpecs(model), { shared: false });
  bindWeights(model, store);
  const { offsets, end } = trainableOffsets(model, store);
  const grads = new Float32Array(store.length);
  // Where each trainable weight lies, for clipnorm and excludeFromWeightDecay.
  const variables = model.trainableWeights.map((w, i) => ({
    name: w.name,
    start: offsets[i] as number,
    end: (offsets[i] as number) + w.size,
  }));
  const state = optimizerState(model, compiled.optimizer, store);

  const history = new History();
  const callbacks = new CallbackList(args.callbacks ?? [], [history]);
  const steps = Math.ceil(nTrain / batchSize);
  const verbose = args.verbose ?? 1;
  const print = args.printFn ?? console.log;
  callbacks.setModel(model);
  callbacks.setParams({ epochs, steps, samples: nTrain, verbose });
  model.stopTraining = false;

  let lastLogs: Logs = {};
  try {
    await callbacks.onTrainBegin();
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      const started = performance.now();
      await callbacks.onEpochBegin(epoch);
      const order = args.shuffle === false ? undefined : shuffleStream.permutation(nTrain);
      const mean = new Mean(step);
      for (let b = 0; b < steps; b++) {
        const start = b * batchSize;
        const size = Math.min(batchSize, nTrain - start);
        await callbacks.onBatchBegin(b, { batch: b, size });
        const xb =
          order === undefined
            ? sliceRows(xs, start, size)
            : gatherRows(xs, order.subarray(start, start + size));
        const yb =
          order === undefined
            ? sliceRows(ys, start, size)
            : gatherRows(ys, order.subarray(start, start + size));
        const wb =
          weights === undefined
            ? []
            : order === undefined
              ? sliceRows([weights], start, size)
              : gatherRows([weights], order.subarray(start, start + size));
        let result: StepResult;
        try {
          result = step.computeGradients(xb, yb, grads, offsets, 1, { sampleWeight: wb[0] });
        } finally {
          disposeAll(xb);
          disposeAll(yb);
          disposeAll(wb);
        }
        if (offsets.length > 0) {
          state.iteration += 1;
          compiled.optimizer.applyUpdate({
            params: store.data,
            grads,
            slots: state.slots,
            iteration: state.iteration,
            start: 0,
            end,
            variables,
          });
          applyConstraints(model);
        }
        step.commitUpdates();
        mean.add(result, size);
        await callbacks.onBatchEnd(b, { batch: b, size, ...withKeys(step.metricNames, result) });
        if (model.stopTraining) break;
      }
      const logs = withKeys(step.metricNames, mean.result());
      if (val !== undefined)
        Object.assign(
          logs,
          withKeys(
            step.metricNames,
            evaluateBatches(step, val[0], val[1], batchSize, valWeights),
            'val_',
          ),
        );
      await callbacks.onEpochEnd(epoch, logs);
      if (verbose > 0) print(epochLine(epoch, epochs, steps, performance.now() - started, logs));
      lastLogs = logs;
      if (model.stopTraining) break;
    }
    await callbacks.onTrainEnd(lastLogs);
  } finally {
    disposeAll(owned);
  }
  return history;
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
