/**
 * Tessera's runner: the reference network through `fit` from @tessera/trainer at a given
 * worker count on one input set, in the bench's own process (the workers are threads of it).
 */
import { performance } from 'node:perf_hooks';
import type { Dataset } from '@tessera/datasets';
import { Adam, layers, sequential } from '@tessera/layers';
import { fit, type TrainingPathReport } from '@tessera/trainer';
import type { InputSetName } from './input-sets.js';
import { REFERENCE_TASK } from './reference-task.js';
import type { StepBreakdown, TrainingRun } from './result.js';

/** Arguments of {@link runTessera}. */
export interface TesseraRunArgs {
  /** Training images (shared, as `loadMnist({ split: 'train', shared: true })` gives). */
  data: Dataset;
  /** Worker threads. */
  workers: number;
  /** Which input set `data` is. */
  input: InputSetName;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The reference network: Flatten 28×28 → Dense 128 relu → Dense 10 softmax. */
function referenceModel(featureShape: readonly number[]) {
  const task = REFERENCE_TASK;
  const model = sequential(
    [
      layers.flatten({ inputShape: [...featureShape] }),
      layers.dense({ units: task.hiddenUnits, activation: 'relu' }),
      layers.dense({ units: task.classes, activation: 'softmax' }),
    ],
    { name: 'reference_mlp', seed: task.seed },
  );
  model.compile({
    optimizer: new Adam({ learningRate: task.learningRate, epsilon: task.epsilon }),
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** Which step trained, as the table's note says it. */
function describePath(path: TrainingPathReport | undefined): string | undefined {
  if (path === undefined) return undefined;
  if (path.path === 'tfjs') return `tfjs autodiff path (${path.reason ?? ''})`;
  const density = `${Math.round((path.density ?? 1) * 100)}% nonzero`;
  return `resident step, ${path.sparseInput === true ? 'compressed' : 'dense'} input rows (${density})`;
}

/** Trains one epoch with `fit`; an error gives a 'failed' row, not a throw. */
export async function runTessera(args: TesseraRunArgs): Promise<TrainingRun> {
  const task = REFERENCE_TASK;
  const identity = {
    input: args.input,
    runner: 'tessera',
    label: `Tessera ×${args.workers}`,
    workers: args.workers,
  } as const;
  const model = referenceModel(args.data.featureShape);
  // The workers are threads of this process, so its resident set covers them all.
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 25);
  const started = performance.now();
  let history: Awaited<ReturnType<typeof fit>>;
  try {
    history = await fit(model, args.data, {
      workers: args.workers,
      epochs: task.epochs,
      batchSize: task.batchSize,
      seed: task.seed,
      verbose: 0,
    });
  } catch (error) {
    return {
      ...identity,
      status: 'failed',
      reason: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearInterval(sampler);
  }
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const examples = args.data.size;
  const steps = Math.ceil(examples / task.batchSize) * task.epochs;
  // history.samplesPerSecond is per epoch and counts training time only.
  const trainSeconds = history.samplesPerSecond.reduce((sum, sps) => sum + examples / sps, 0);
  const total = history.timing.reduce(
    (sum, t) => ({
      computeMs: sum.computeMs + t.computeMs,
      reduceUpdateMs: sum.reduceUpdateMs + t.reduceUpdateMs,
      waitingMs: sum.waitingMs + t.waitingMs,
      otherMs: sum.otherMs + t.otherMs,
    }),
    { computeMs: 0, reduceUpdateMs: 0, waitingMs: 0, otherMs: 0 },
  );
  const breakdown: StepBreakdown = {
    computeMs: total.computeMs / steps,
    reduceUpdateMs: total.reduceUpdateMs / steps,
    waitingMs: total.waitingMs / steps,
    otherMs: total.otherMs / steps,
  };
  const lastOf = (key: string) => history.history[key]?.at(-1) ?? Number.NaN;
  args.log?.(
    `  [tessera] ${args.workers} worker(s): ${((performance.now() - started) / 1000).toFixed(1)} s with start-up`,
  );
  return {
    ...identity,
    status: 'ok',
    examples,
    steps,
    trainSeconds,
    samplesPerSecond: (examples * task.epochs) / trainSeconds,
    loss: lastOf('loss'),
    accuracy: lastOf('accuracy'),
    breakdown,
    peakRssMiB: peakRss / 2 ** 20,
    note: describePath(history.trainingPath),
  };
}
