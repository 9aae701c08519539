/**
 * Does a model fit a dataset? It must have one input and one output; its input must take
 * one example's features, and its output must have one unit per class (one for binary
 * cross-entropy) or per target value. Checked before any worker starts, with a message
 * naming both shapes. `fit` and the CLI use this one check; the CLI adds its own prefix
 * (naming `--model` and `--dataset`) and asks for rank-2 outputs.
 *
 * Validation data must also be data of the training data's kind (same task, shapes and
 * classes): the workers encode and read both sets' targets the training set's way.
 */
import { formatValue, received, ShapeError, ValueError } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import type { Model } from '@tessera/layers';

export interface FitCheckOptions {
  /** The loss's canonical name: binary cross-entropy needs one output unit. */
  lossName: string;
  /** Starts every message (default `fit on dataset "<name>"`); the CLI names `--model` and `--dataset`. */
  prefix?: string;
  /** When set, the output must have exactly this rank too (the CLI: 2, one row of units per example). */
  outputRank?: number;
}

/** `[4, None]`, as Keras prints shapes. */
export const formatShape = (dims: readonly (number | null)[]): string =>
  `[${dims.map((d) => (d === null ? 'None' : d)).join(', ')}]`;

/** Output units the data needs for this loss. */
export function unitsNeeded(data: Dataset, lossName: string): number {
  if (data.task === 'regression') return data.targetSize;
  return lossName === 'binary_crossentropy' ? 1 : (data.numClasses ?? 1);
}

/** Throws a ShapeError when `model` (built) cannot train on `data` with this loss. */
export function checkModelFitsData(model: Model, data: Dataset, options: FitCheckOptions): void {
  const prefix = options.prefix ?? `fit on dataset "${data.name}"`;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new ShapeError(
      `${prefix}: expected a model with one input and one output. Received: inputs=${model.inputs.length}, outputs=${model.outputs.length}`,
    );
  }
  const input = model.inputs[0]!.shape.slice(1);
  const examples = data.featureShape;
  if (input.length !== examples.length || input.some((d, i) => d !== null && d !== examples[i])) {
    throw new ShapeError(
      `${prefix}: the model takes inputs of shape ${formatShape(input)} but the examples have shape ${formatShape(examples)}`,
    );
  }
  const output = model.outputs[0]!.shape;
  const units = output[output.length - 1];
  const want = unitsNeeded(data, options.lossName);
  const rankOk = options.outputRank === undefined || output.length === options.outputRank;
  if (!rankOk || units !== want) {
    const what = data.task === 'regression' ? `${want} target value(s)` : `${want} classes`;
    throw new ShapeError(
      `${prefix}: the model outputs shape ${formatShape(output)} but the data has ${what}, so the last layer needs ${want} unit(s)${rankOk ? '' : ` and outputs of rank ${options.outputRank}`}`,
    );
  }
}

/** The first way `other` is not data of `data`'s kind, or undefined when it is. */
export function dataMismatch(
  data: Dataset,
  other: Dataset,
): { field: string; expected: unknown; received: unknown } | undefined {
  const fields = [
    ['task', data.task, other.task],
    ['featureShape', data.featureShape, other.featureShape],
    ['targetShape', data.targetShape, other.targetShape],
    ['numClasses', data.numClasses, other.numClasses],
  ] as const;
  for (const [field, expected, received] of fields) {
    if (JSON.stringify(expected) !== JSON.stringify(received)) return { field, expected, received };
  }
  return undefined;
}

/**
 * Throws a ValueError, naming both datasets, when `validation` is not data of `train`'s
 * kind: another task, feature shape, target shape or number of classes.
 */
export function checkValidationMatches(train: Dataset, validation: Dataset): void {
  const mismatch = dataMismatch(train, validation);
  if (mismatch === undefined) return;
  throw new ValueError(
    received(
      `fit: validationData (dataset "${validation.name}") must have the ${mismatch.field} of the training data (dataset "${train.name}"), ${formatValue(mismatch.expected)}`,
      mismatch.field,
      mismatch.received,
    ),
  );
}
