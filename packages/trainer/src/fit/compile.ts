/**
 * Stage 4 of `fit`: the loss, optimizer and metrics of the run. They come from fit's
 * options, else from the checkpoint being resumed, else from the model's compile().
 *
 * When they do not all come from the model's own compile(), the model is compiled again
 * with them: fit's settings become `model.compiled`, so callbacks that read it
 * (reduceLROnPlateau) act on the optimizer this run uses, and the model keeps them after
 * the run, as after Keras' compile().
 */
import { received, ValueError } from '@tessera/core';
import type { CompileArgs, Loss, Model } from '@tessera/layers';
import type { CheckpointData } from '../checkpoint.js';
import type { FitOptions } from '../options.js';

/** What the run trains with: the model's compiled state after this stage. */
export type RunCompilation = NonNullable<Model['compiled']>;

export function compileForRun(
  model: Model,
  options: FitOptions,
  resume: CheckpointData | undefined,
): RunCompilation {
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
    model.compile({
      optimizer: optimizerId as CompileArgs['optimizer'],
      loss: lossId as CompileArgs['loss'],
      metrics: metricIds as CompileArgs['metrics'],
    });
  }
  const run = model.compiled!;
  if (run.optimizer.globalClipnorm !== null) {
    // Each worker updates a slice: the norm of the whole gradient would need one more
    // exchange between the workers per step, which the step protocol does not have yet.
    throw new ValueError(
      received(
        `fit: the data-parallel trainer cannot clip by the global norm yet; use clipvalue, or model.fit on one thread`,
        'globalClipnorm',
        run.optimizer.globalClipnorm,
      ),
    );
  }
  if (run.optimizer.clipnorm !== null) {
    // Each worker sums and updates a slice of the gradient; a variable's norm would need its
    // whole gradient, which a slice boundary may cut.
    throw new ValueError(
      received(
        'fit: the data-parallel trainer cannot clip each variable by its norm yet; use clipvalue, or model.fit on one thread',
        'clipnorm',
        run.optimizer.clipnorm,
      ),
    );
  }
  checkLossShards(run.loss);
  return run;
}

/** What the run's worker count rules out: BatchNormalization on more than one worker. */
export function checkWorkerCount(model: Model, workers: number): void {
  if (workers > 1 && model.layers.some((l) => l.className === 'BatchNormalization')) {
    // Each worker would normalise with its own shard's statistics, not the global batch's.
    throw new ValueError(
      received(
        'fit: BatchNormalization needs the statistics of the whole batch, which the data-parallel trainer does not exchange yet; expected workers=1 (or model.fit)',
        'workers',
        workers,
      ),
    );
  }
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
