/**
 * Does a model fit a dataset? The trainer's `checkModelFitsData`, with the command's own
 * additions: an unbuilt model is built for the data first (a failure named as a misfit),
 * messages name `--model` and `--dataset`, and outputs must be rank 2 (one row of units
 * per example, as predict's CSV and the metrics read them).
 */
import { ShapeError, TesseraError } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import type { Model } from '@tessera/layers';
import { checkModelFitsData as checkFit } from '@tessera/trainer';

/** Where model and data came from, for the message. */
export interface FitCheckLabels {
  /** How the user named the model (`--model` value). */
  model: string;
  /** How the user named the data (`--dataset` value). */
  dataset: string;
}

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
  checkFit(model, data, { lossName, prefix, outputRank: 2 });
}
