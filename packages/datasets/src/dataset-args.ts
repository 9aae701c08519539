/**
 * The arguments of a `Dataset` and their validation: shapes, buffer types and lengths,
 * class names and ids. Kept apart from the class so the class reads as its operations.
 */
import { received, ShapeError, ValueError } from '@tessera/core';

/** What the targets mean: class ids, or real values to regress. */
export type Task = 'classification' | 'regression';

/** Which part of a dataset with a train/test split. */
export type Split = 'train' | 'test';

/** Feature storage: uint8 (images, scaled when read) or float32. */
export type FeatureArray = Uint8Array | Float32Array;

/** Target storage: class ids (int32) or regression values (float32). */
export type TargetArray = Int32Array | Float32Array;

/** Everything needed to build a `Dataset`. */
export interface DatasetArgs {
  /** Name shown in listings and error messages. */
  name: string;
  /** Classification (int32 class ids) or regression (float32 values). */
  task: Task;
  /** Shape of one example's features, e.g. [28, 28] or [4]. */
  featureShape: readonly number[];
  /** Shape of one example's target: [] for classification (the default), [k] for regression (default [1]). */
  targetShape?: readonly number[];
  /** All features, row after row: size * prod(featureShape) values. */
  features: FeatureArray;
  /** Factor applied to features when they are read (1/255 for uint8 pixels). Default 1. */
  featureScale?: number;
  /** All targets, row after row: class ids (Int32Array) or values (Float32Array). */
  targets: TargetArray;
  /** Class names, index = class id. Default for classification: '0', '1', ... */
  classNames?: readonly string[];
  /** Number of classes; taken from `classNames` when absent. */
  numClasses?: number;
  /** Names of the flattened feature columns (tabular data), when known. */
  featureNames?: readonly string[];
}

/** Validated arguments with everything derived from them. */
export interface CheckedDatasetArgs {
  name: string;
  task: Task;
  size: number;
  featureShape: number[];
  targetShape: number[];
  featureSize: number;
  targetSize: number;
  features: FeatureArray;
  featureScale: number;
  targets: TargetArray;
  classNames: string[] | undefined;
  numClasses: number | undefined;
  featureNames: string[] | undefined;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function checkShape(name: string, shape: readonly number[]): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ShapeError(
      received(`Dataset: ${name} must be a list of positive integers`, name, shape),
    );
  }
  return [...shape];
}

function checkBuffers(
  args: DatasetArgs,
  featureSize: number,
  targetSize: number,
  featureShape: number[],
): number {
  const { name, task, features, targets } = args;
  if (!(features instanceof Uint8Array || features instanceof Float32Array)) {
    throw new ValueError(
      received(
        `Dataset "${name}": features must be a Uint8Array or Float32Array`,
        'features',
        features,
      ),
    );
  }
  const targetType = task === 'classification' ? Int32Array : Float32Array;
  if (!(targets instanceof targetType)) {
    throw new ValueError(
      received(
        `Dataset "${name}": ${task} targets must be a ${targetType.name}`,
        'targets',
        targets,
      ),
    );
  }
  if (targets.length % targetSize !== 0) {
    throw new ShapeError(
      received(
        `Dataset "${name}": targets must hold a multiple of ${targetSize} values`,
        'targets.length',
        targets.length,
      ),
    );
  }
  const size = targets.length / targetSize;
  if (features.length !== size * featureSize) {
    throw new ShapeError(
      received(
        `Dataset "${name}": ${size} examples of shape [${featureShape}] need ${size * featureSize} feature values`,
        'features.length',
        features.length,
      ),
    );
  }
  return size;
}

function checkClasses(args: DatasetArgs): [string[] | undefined, number | undefined] {
  const { name, classNames, numClasses } = args;
  if (args.task === 'regression') {
    if (classNames !== undefined || numClasses !== undefined) {
      throw new ValueError(
        received(
          `Dataset "${name}": regression data has no classes`,
          'numClasses',
          numClasses ?? classNames?.length,
        ),
      );
    }
    return [undefined, undefined];
  }
  const count = numClasses ?? classNames?.length;
  if (count === undefined || !Number.isInteger(count) || count < 1) {
    throw new ValueError(
      received(
        `Dataset "${name}": classification needs classNames or a positive integer numClasses`,
        'numClasses',
        count,
      ),
    );
  }
  const names =
    classNames === undefined ? Array.from({ length: count }, (_, i) => String(i)) : [...classNames];
  if (names.length !== count || new Set(names).size !== count) {
    throw new ValueError(
      received(
        `Dataset "${name}": classNames must be ${count} distinct names`,
        'classNames',
        names,
      ),
    );
  }
  const targets = args.targets as Int32Array;
  for (let i = 0; i < targets.length; i++) {
    const id = targets[i]!;
    if (id < 0 || id >= count) {
      throw new ValueError(
        received(
          `Dataset "${name}": class ids must lie in [0, ${count}); row ${i} holds ${id}`,
          `targets[${i}]`,
          id,
        ),
      );
    }
  }
  return [names, count];
}

/** Checks every argument (errors in the Keras form) and derives sizes. */
export function checkDatasetArgs(args: DatasetArgs): CheckedDatasetArgs {
  const { name, task } = args;
  if (typeof name !== 'string' || name === '') {
    throw new ValueError(received('Dataset: name must be a non-empty string', 'name', name));
  }
  if (task !== 'classification' && task !== 'regression') {
    throw new ValueError(
      received("Dataset: task must be 'classification' or 'regression'", 'task', task),
    );
  }
  const featureShape = checkShape('featureShape', args.featureShape);
  const targetShape = checkShape(
    'targetShape',
    args.targetShape ?? (task === 'classification' ? [] : [1]),
  );
  if (task === 'classification' && targetShape.length !== 0) {
    throw new ShapeError(
      received(
        'Dataset: classification targets are class ids, so targetShape must be []',
        'targetShape',
        targetShape,
      ),
    );
  }
  const featureSize = product(featureShape);
  const targetSize = product(targetShape);
  const size = checkBuffers(args, featureSize, targetSize, featureShape);

  const featureScale = args.featureScale ?? 1;
  if (typeof featureScale !== 'number' || !Number.isFinite(featureScale) || featureScale <= 0) {
    throw new ValueError(
      received(
        `Dataset "${name}": featureScale must be a positive number`,
        'featureScale',
        featureScale,
      ),
    );
  }
  const featureNames = args.featureNames;
  if (
    featureNames !== undefined &&
    (!Array.isArray(featureNames) || featureNames.length !== featureSize)
  ) {
    throw new ValueError(
      received(
        `Dataset "${name}": featureNames must name all ${featureSize} feature columns`,
        'featureNames',
        featureNames,
      ),
    );
  }
  const [classNames, numClasses] = checkClasses(args);
  return {
    name,
    task,
    size,
    featureShape,
    targetShape,
    featureSize,
    targetSize,
    features: args.features,
    featureScale,
    targets: args.targets,
    classNames,
    numClasses,
    featureNames: featureNames === undefined ? undefined : [...featureNames],
  };
}
