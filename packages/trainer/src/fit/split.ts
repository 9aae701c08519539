/** Stage 3 of `fit`: the training and validation sets. */
import { received, ValueError } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';

/** Validation data: an explicit set, or the last fraction of the training data (as Keras). */
export function splitValidation(
  data: Dataset,
  fraction: number,
  explicit: Dataset | undefined,
): { train: Dataset; validation: Dataset | undefined } {
  if (explicit !== undefined) return { train: data, validation: explicit };
  if (fraction === 0) return { train: data, validation: undefined };
  // Keras (and model.fit): the first floor(n·(1 − fraction)) rows train.
  const cut = Math.floor(data.size * (1 - fraction));
  const held = data.size - cut;
  if (held === 0 || held === data.size) {
    throw new ValueError(
      received(
        `fit: validationSplit leaves no ${held === 0 ? 'validation' : 'training'} examples of ${data.size}`,
        'validationSplit',
        fraction,
      ),
    );
  }
  return {
    train: data.take(cut),
    validation: data.select(Int32Array.from({ length: held }, (_, i) => cut + i)),
  };
}
