/**
 * Stage 4 of `fit`: the loss, optimizer and metrics of the run. They come from fit's
 * options, else from the checkpoint being resumed, else from the model's compile().
 *
 * When they do not all come from the model's own compile(), the model is compiled again
 * with them: fit's settings become `model.compiled`, so callbacks that read it
 * (reduceLROnPlateau) act on the optimizer this run uses, and the model keeps them after
 * the run, as after Keras' compile().
 */
import { ValueError } from '@tessera/core';
import type { CompileArgs, Model } from '@tessera/layers';
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
  return model.compiled!;
}
