/**
 * Which target tensor a loss wants from a dataset's class ids or values.
 */
import { received, ValueError } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import type { TargetEncoding } from './protocol.js';

/** Picks the encoding from the task and the loss's canonical name. */
export function targetEncoding(data: Dataset, lossName: string): TargetEncoding {
  if (data.task === 'regression') return 'regression';
  if (lossName === 'sparse_categorical_crossentropy') return 'sparse';
  if (lossName === 'binary_crossentropy') {
    if (data.numClasses !== 2) {
      throw new ValueError(
        received(
          `fit: binary_crossentropy needs a dataset with 2 classes; "${data.name}" has ${data.numClasses}`,
          'numClasses',
          data.numClasses,
        ),
      );
    }
    return 'binary';
  }
  return 'one-hot';
}

/** Shape of the target tensor for n examples. */
export function targetShape(encoding: TargetEncoding, data: Dataset, n: number): number[] {
  switch (encoding) {
    case 'one-hot':
      return [n, data.numClasses ?? 1];
    case 'sparse':
      return [n];
    case 'binary':
      return [n, 1];
    case 'regression':
      return [n, ...data.targetShape];
  }
}
