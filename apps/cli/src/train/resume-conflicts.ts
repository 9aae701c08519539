/**
 * `train --resume FILE` continues the run the checkpoint holds: its model, data, seed,
 * batch size, optimizer and validation split. A flag that says otherwise is an error
 * naming both values, rather than silently ignored.
 */
import { resolve } from 'node:path';
import { ValueError } from '@tessera/core';
import type { OpenCheckpoint } from '../checkpoint/open-checkpoint.js';
import { findBuiltinModel } from '../models/builtins.js';
import type { PlanOptions } from './plan.js';

function conflict(flag: string, given: unknown, kept: unknown, path: string): ValueError {
  return new ValueError(
    `${flag} ${String(given)} conflicts with the resumed checkpoint ${path}, which has ${String(kept)}; drop ${flag} to continue that run, or start a new run without --resume`,
  );
}

/** The same model or dataset reference: a built-in name, or the same file. */
function sameRef(given: string, kept: string): boolean {
  if (given === kept) return true;
  if (findBuiltinModel(given) !== undefined) return findBuiltinModel(given)?.name === kept;
  return resolve(given) === resolve(kept);
}

/** Throws on the first flag that contradicts the resumed checkpoint. */
export function checkResumeFlags(options: PlanOptions, resumed: OpenCheckpoint): void {
  const { data, extra, path } = resumed;
  if (options.model !== undefined && !sameRef(options.model, extra.model.ref))
    throw conflict('--model', options.model, `model ${extra.model.ref}`, path);
  if (options.dataset !== undefined && !sameRef(options.dataset, extra.data.source.ref))
    throw conflict('--dataset', options.dataset, `dataset ${extra.data.source.ref}`, path);
  if (options.seed !== undefined && options.seed !== data.run.seed)
    throw conflict('--seed', options.seed, `seed ${data.run.seed}`, path);
  if (options.batchSize !== undefined && options.batchSize !== data.run.batchSize)
    throw conflict('--batch-size', options.batchSize, `batch size ${data.run.batchSize}`, path);
  const optimizer = (data.optimizer.config as { className?: unknown } | null)?.className;
  if (
    options.optimizer !== undefined &&
    typeof optimizer === 'string' &&
    options.optimizer.toLowerCase() !== optimizer.toLowerCase()
  )
    throw conflict('--optimizer', options.optimizer, `optimizer ${optimizer}`, path);
  if (options.learningRate !== undefined)
    throw conflict(
      '--learning-rate',
      options.learningRate,
      'its own optimizer state and learning rate',
      path,
    );
  if (options.lrSchedule !== undefined)
    throw conflict(
      '--lr-schedule',
      options.lrSchedule,
      'its own optimizer and learning-rate schedule',
      path,
    );
  const split = extra.training?.validationSplit;
  if (
    options.validationSplit !== undefined &&
    split !== undefined &&
    options.validationSplit !== split
  )
    throw conflict(
      '--validation-split',
      options.validationSplit,
      `validation split ${split}`,
      path,
    );
  const method = (extra.normalizer as { method?: unknown } | undefined)?.method;
  if (options.normalize !== undefined && (method ?? 'none') !== options.normalize)
    throw conflict(
      '--normalize',
      options.normalize,
      `normalization ${String(method ?? 'none')}`,
      path,
    );
}
