/**
 * The message form of a dataset: plain fields plus the buffers, so it survives
 * `postMessage`. Posting a SharedArrayBuffer hands the worker the same memory; turning a
 * description back into dataset arguments only makes views, never copies.
 */
import { received, ValueError } from '@tessera/core';
import { attachBuffer, type BufferDescription } from './buffers.js';
import type { DatasetArgs, Task } from './dataset-args.js';

/** A plain, structured-cloneable description: post it to a worker, `Dataset.attach` it there. */
export interface DatasetDescription {
  /** Tag so a stray message is not mistaken for a dataset. */
  format: 'tessera-dataset';
  /** Layout version of this description. */
  version: 1;
  /** Dataset name. */
  name: string;
  /** Classification or regression. */
  task: Task;
  /** Per-example feature shape. */
  featureShape: number[];
  /** Per-example target shape. */
  targetShape: number[];
  /** Factor applied to features when they are read. */
  featureScale: number;
  /** Class names (classification only). */
  classNames?: string[];
  /** Feature column names, when known. */
  featureNames?: string[];
  /** Where the features live (shared when the dataset was `share()`d). */
  features: BufferDescription;
  /** Where the targets live. */
  targets: BufferDescription;
}

/** Dataset arguments over the memory a description names (views only). */
export function argsFromDescription(description: DatasetDescription): DatasetArgs {
  if (
    description === null ||
    typeof description !== 'object' ||
    description.format !== 'tessera-dataset'
  ) {
    throw new ValueError(
      received(
        "Dataset.attach: expected a description from Dataset.describe() (format 'tessera-dataset')",
        'format',
        description?.format,
      ),
    );
  }
  if (description.version !== 1) {
    throw new ValueError(
      received('Dataset.attach: unsupported description version', 'version', description.version),
    );
  }
  const features = attachBuffer(description.features, 'features');
  const targets = attachBuffer(description.targets, 'targets');
  if (features instanceof Int32Array) {
    throw new ValueError(
      received('Dataset.attach: features must be uint8 or float32', 'kind', 'int32'),
    );
  }
  if (targets instanceof Uint8Array) {
    throw new ValueError(
      received('Dataset.attach: targets must be int32 or float32', 'kind', 'uint8'),
    );
  }
  return {
    name: description.name,
    task: description.task,
    featureShape: description.featureShape,
    targetShape: description.targetShape,
    features,
    featureScale: description.featureScale,
    targets,
    ...(description.classNames === undefined ? {} : { classNames: description.classNames }),
    ...(description.featureNames === undefined ? {} : { featureNames: description.featureNames }),
  };
}
