/**
 * Does a model fit a dataset? Its input must take one example's features, and its output
 * must have one unit per class (one for binary cross-entropy) or per target value.
 * Checked before any worker starts, with a message naming both.
 */
import { ShapeError, TesseraError } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import type { Model } from '@tessera/layers';

/** Where model and data came from, for the message. */
export interface FitCheckLabels {
  /** How the user named the model (`--model` value). */
  model: string;
  /** How the user named the data (`--dataset` value). */
  dataset: string;
}

const shape = (dims: readonly (number | null)[]): string =>
  `[${dims.map((d) => (d === null ? 'None' : d)).join(', ')}]`;

/** Builds an unbuilt model for the data, then compares shapes; ShapeError on a mismatch. */
export function checkModelFitsData(
  model: Model,
  data: Dataset,
  lossName: string,
  labels: FitCheckLabels,
): void {
  const prefix = `--model ${labels.model} does not fit --dataset ${labels.dataset}`;
  if (!model.built) {
    try {
      model.build([null, ...data.featureShape]);
    } catch (err) {
      if (err instanceof TesseraError)
        throw new ShapeError(`${prefix}: ${err.message}`, { cause: err });
      throw err;
    }
  }
  const inputs = model.inputs;
  if (inputs.length !== 1 || model.outputs.length !== 1) {
    throw new ShapeError(
      `${prefix}: the command trains models with one input and one output. Received: inputs=${inputs.length}, outputs=${model.outputs.length}`,
    );
  }
  const input = inputs[0]!.shape.slice(1);
  const expected = data.featureShape;
  if (input.length !== expected.length || input.some((d, i) => d !== null && d !== expected[i])) {
    throw new ShapeError(
      `${prefix}: the model takes inputs of shape ${shape(input)} but the examples have shape ${shape(expected)}`,
    );
  }
  const output = model.outputs[0]!.shape;
  const units = output[output.length - 1];
  const want =
    data.task === 'regression'
      ? data.targetSize
      : lossName === 'binary_crossentropy'
        ? 1
        : (data.numClasses ?? 1);
  if (output.length !== 2 || units !== want) {
    const what = data.task === 'regression' ? `${want} target value(s)` : `${want} classes`;
    throw new ShapeError(
      `${prefix}: the model outputs shape ${shape(output)} but the data has ${what}, so the last layer needs ${want} unit(s)`,
    );
  }
}
