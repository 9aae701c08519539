/** Stage 3 of `fit`: the training and validation sets. */
import { received, ValueError } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';

/** How many rows train and how many are held out for validation. */
export interface ValidationSplitSizes {
  train: number;
  validation: number;
}

/**
 * The rows `validationSplit` keeps for training and holds out, as Keras and `model.fit`
 * cut them: the first ⌊examples·(1 − fraction)⌋ train, the rest validate. Callers that
 * print or count the split (the CLI's header and throughput) use this, so their numbers
 * are the trainer's.
 *
 * ```ts
 * validationSplitSizes(48, 0.2); // { train: 38, validation: 10 }
 * ```
 */
export function validationSplitSizes(examples: number, fraction: number): ValidationSplitSizes {
  if (!Number.isInteger(examples) || examples < 0) {
    throw new ValueError(
      received(
        'validationSplitSizes: examples must be a non-negative integer',
        'examples',
        examples,
      ),
    );
  }
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction < 1)) {
    throw new ValueError(
      received('validationSplitSizes: fraction must be a number in [0, 1)', 'fraction', fraction),
    );
  }
  const train = Math.floor(examples * (1 - fraction));
  return { train, validation: examples - train };
}

/** Validation data: an explicit set, or the last fraction of the training data (as Keras). */
export function splitValidation(
  data: Dataset,
  fraction: number,
  explicit: Dataset | undefined,
): { train: Dataset; validation: Dataset | undefined } {
  // As model.fit: an empty set would end at once with an empty history, as if it had trained.
  if (data.size === 0) {
    throw new ValueError(received('fit: needs at least one training row', 'rows', data.size));
  }
  if (explicit !== undefined) return { train: data, validation: explicit };
  if (fraction === 0) return { train: data, validation: undefined };
  const { train, validation } = validationSplitSizes(data.size, fraction);
  if (validation === 0 || train === 0) {
    throw new ValueError(
      received(
        `fit: validationSplit leaves no ${validation === 0 ? 'validation' : 'training'} examples of ${data.size}`,
        'validationSplit',
        fraction,
      ),
    );
  }
  return {
    train: data.take(train),
    validation: data.select(Int32Array.from({ length: validation }, (_, i) => train + i)),
  };
}
