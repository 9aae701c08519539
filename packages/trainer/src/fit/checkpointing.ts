/**
 * Stage 7 of `fit`: checkpoints. Everything a checkpoint of this run holds is gathered in
 * one place, `captureCheckpoint`; the built-in ModelCheckpoint (when `checkpoint` is set)
 * is made here too. The run and the callbacks take a checkpoint only through these.
 */
import type { RngState } from '@tessera/core';
import { losses, type Metric, type Model, metrics, optimizers } from '@tessera/layers';
import { type ModelCheckpoint, modelCheckpoint } from '../callbacks/model-checkpoint.js';
import type { CheckpointData, ClassWeights, EpochProgress } from '../checkpoint.js';
import { checkpointFolder } from '../checkpoint-layout.js';
import type { TrainingHistory } from '../history.js';
import type { FitOptions, ResolvedFitOptions } from '../options.js';
import type { SharedTrainingState } from '../shared-state.js';
import type { RunCompilation } from './compile.js';

export interface CaptureSources {
  model: Model;
  compiled: RunCompilation;
  state: SharedTrainingState;
  history: TrainingHistory;
  opts: ResolvedFitOptions;
  /** The caller's `checkpointExtra`. */
  extra: FitOptions['checkpointExtra'];
  /** Optimizer updates applied so far (read when a checkpoint is taken). */
  iteration: () => number;
  /** The run's class weights (none: undefined). */
  classWeight: ClassWeights | undefined;
  /** Whether the run validates on a separate `validationData` set. */
  validationData: boolean;
}

/**
 * A metric as a checkpoint records it for resuming: its name when the name alone rebuilds
 * it (so it logs under the name the user gave, `acc` staying `acc`), else its config
 * (`precision` with thresholds 0.3 stays so).
 */
export function metricRecord(metric: Metric, lossName: string): unknown {
  let config: unknown;
  try {
    config = metrics.serialize(metric);
  } catch {
    return metric.name;
  }
  try {
    const byName = metrics.serialize(
      metrics.get(metric.name as Parameters<typeof metrics.get>[0], { loss: lossName }),
    );
    if (JSON.stringify(byName) === JSON.stringify(config)) return metric.name;
  } catch {
    // The name alone names nothing: the config it is.
  }
  return config;
}

/** Builds the checkpoint of the run's current state, at `progress`, with the epoch's RNG state. */
export type Capture = (progress: EpochProgress, rng: RngState) => CheckpointData;

export function captureCheckpoint(sources: CaptureSources): Capture {
  const { model, compiled, state, history, opts } = sources;
  const { optimizer, loss, metrics: runMetrics } = compiled;
  const slotViews = state.optimizerSlots();
  return (progress, rng) => ({
    format: 'tessera-checkpoint',
    model: model.toJSON(),
    weights: state.store.snapshot(),
    optimizer: {
      config: optimizers.serialize(optimizer),
      iteration: sources.iteration(),
      slots: Object.fromEntries(
        optimizer.slotNames.map((name, i) => [name, slotViews[i]!.slice()]),
      ),
    },
    compile: {
      loss: losses.serialize(loss),
      metrics: runMetrics.map((m) => metricRecord(m, loss.name)),
    },
    progress: { ...progress, metricSums: [...progress.metricSums] },
    run: {
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      shuffle: opts.shuffle,
      seed: opts.seed,
      workers: opts.workers,
      classWeight: sources.classWeight ?? null,
      // The rows held out of the training data: validationData takes precedence over a split.
      validationSplit: sources.validationData ? 0 : opts.validationSplit,
      validationData: sources.validationData,
    },
    rng,
    history: history.toJSON(),
    extra: sources.extra ?? {},
    savedAt: new Date().toISOString(),
  });
}

/** The ModelCheckpoint `fit` adds itself when `checkpoint` is set (monitoring val_loss when there is validation data). */
export function builtInCheckpoint(
  opts: ResolvedFitOptions,
  hasValidation: boolean,
): ModelCheckpoint | undefined {
  if (opts.checkpoint === undefined) return undefined;
  return modelCheckpoint({
    dir: checkpointFolder(opts.checkpoint.dir),
    everyEpochs: opts.checkpoint.every,
    everySteps: opts.checkpoint.everySteps,
    keep: opts.checkpoint.keep,
    monitor: opts.checkpoint.monitor ?? (hasValidation ? 'val_loss' : 'loss'),
    saveBest: true,
  });
}
