/**
 * Stage 3b of `fit`: `sampleWeight`, one weight per example of the data (Keras's
 * `sample_weight`), checked and shared with the workers. With `validationSplit` the
 * held-out examples keep their weights and weigh the validation loss, as in Keras and
 * in-process `model.fit`; a separate `validationData` is unweighted.
 */
import { ValueError } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import { sampleWeightArray } from '@tessera/layers';
import type { FitOptions } from '../options.js';

/** The weights of the training and validation examples, in shared memory, by example index. */
export interface SharedSampleWeights {
  train: Float32Array;
  /** Set when the validation examples were split off the data (validationSplit). */
  validation?: Float32Array;
}

function shared(values: Float32Array): Float32Array {
  const out = new Float32Array(
    new SharedArrayBuffer(Math.max(4, values.byteLength)),
    0,
    values.length,
  );
  out.set(values);
  return out;
}

/** The shared weights, or undefined without `sampleWeight`. */
export function shareSampleWeights(
  options: FitOptions,
  data: Dataset,
  train: Dataset,
  validation: Dataset | undefined,
): SharedSampleWeights | undefined {
  if (options.sampleWeight === undefined) return undefined;
  if (options.classWeight !== undefined) {
    throw new ValueError(
      'fit: give sampleWeight or classWeight, not both (as Keras). Received: sampleWeight and classWeight',
    );
  }
  const values = sampleWeightArray('fit', options.sampleWeight, data.size);
  // The training examples are the data's first train.size (splitValidation takes them so).
  const out: SharedSampleWeights = { train: shared(values.subarray(0, train.size)) };
  if (validation !== undefined && options.validationData === undefined) {
    out.validation = shared(values.subarray(train.size));
  }
  return out;
}
