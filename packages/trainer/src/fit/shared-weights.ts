/**
 * Stage 6 of `fit`: the shared memory of the run. The parameter layout is planned, the
 * training path chosen (it decides how much extra memory the resident step needs), the
 * shared state made, and the model's weights rebound onto the shared parameter store: from
 * here on `model.getWeights()` reads what the workers write, and the user's model holds the
 * trained weights when `fit` returns.
 */
import { planLayout } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import { bindWeights, MetricStatistics, type Model, parameterSpecs } from '@tessera/layers';
import { Collective, collectiveCapacity } from '../collective.js';
import type { ResolvedFitOptions } from '../options.js';
import type { TargetEncoding } from '../protocol.js';
import { SharedTrainingState } from '../shared-state.js';
import { Word } from '../step-channel.js';
import { chooseTrainingPath } from '../training-path.js';
import type { RunCompilation } from './compile.js';

export interface SharedRun {
  state: SharedTrainingState;
  /** The path chosen for the run (with the resident step's setup when it was planned). */
  path: ReturnType<typeof chooseTrainingPath>;
  /** Floats at the start of the parameter vector that the optimizer updates (the trainable weights). */
  trainableLength: number;
  /**
   * What the workers report for the metrics (precision's counts, AUC's confusion curves),
   * added up on the main thread, so epoch metrics are those of all rows, as on one thread.
   */
  metricStatistics: MetricStatistics;
  /** The workers' exchange inside a step (collective.ts); `abort` wakes its waiters. */
  collective: Collective;
}

/** Most values one exchange round holds per worker (a longer exchange runs in rounds). */
const MAX_EXCHANGE_ROUND = 4096;

/**
 * Values per worker of one exchange round: enough for the longest exchange the model
 * makes in one round (BatchNormalization's two sums per feature in its backward pass,
 * clipnorm's one sum per variable), within MAX_EXCHANGE_ROUND.
 */
function exchangeCapacity(model: Model): number {
  let longest = model.trainableWeights.length;
  for (const w of model.weights) {
    // A normalisation's 1-D weights hold one value per feature.
    if (!w.trainable && w.shape.length === 1) longest = Math.max(longest, 2 * w.size);
  }
  return Math.min(MAX_EXCHANGE_ROUND, Math.max(16, longest));
}

export function shareWeights(
  model: Model,
  compiled: RunCompilation,
  data: { train: Dataset; validation: Dataset | undefined },
  encoding: TargetEncoding,
  opts: ResolvedFitOptions,
  weighted: boolean,
): SharedRun {
  const { train, validation } = data;
  const specs = parameterSpecs(model);
  const layout = planLayout(specs);
  const trainable = new Set(model.trainableWeights.map((w) => w.name));
  const trainableLength = Math.max(
    0,
    ...layout.entries.filter((e) => trainable.has(e.name)).map((e) => e.offset + e.size),
  );
  const path = chooseTrainingPath({
    requested: opts.trainingPath,
    model,
    loss: compiled.loss,
    metrics: compiled.metrics,
    encoding,
    train,
    validation,
    workers: opts.workers,
    batchSize: opts.batchSize,
    // A slice's gradient buffer holds the whole parameter vector, so optimizers that take
    // parameter-indexed arrays can read it in place (it costs one vector per worker).
    sliceFloats: layout.length,
    trainableLength,
    weighted,
    perVariable: compiled.optimizer.perVariable,
    globalClipnorm: compiled.optimizer.globalClipnorm !== null,
    fusedAdam: compiled.optimizer.fusedRule === 'adam',
  });
  const metricStatistics = new MetricStatistics(
    compiled.metrics,
    model.outputs.map((o) => o.shape),
  );
  const state = SharedTrainingState.create({
    specs,
    workers: opts.workers,
    slotCount: compiled.optimizer.slotNames.length,
    metricCount: metricStatistics.size,
    examples: train.size,
    ...(path.setup === undefined
      ? {}
      : { resident: { extraBytes: path.setup.extraBytes, gradientSlots: false } }),
  });
  bindWeights(model, state.store);
  const capacity = collectiveCapacity(opts.workers, exchangeCapacity(model));
  const collective = Collective.create(opts.workers, capacity, {
    words: state.channel.words,
    index: Word.ABORT,
  });
  state.channel.wakeOnAbort(() => collective.wake());
  state.channel.exchangeWaits((worker) => collective.waiting(worker));
  return { state, path, trainableLength, metricStatistics, collective };
}
