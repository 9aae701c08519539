/**
 * One-hot encoding of class ids, the course's target form: row i has a 1 in column
 * labels[i] and 0 elsewhere.
 *
 * ```ts
 * oneHot([2, 0], 3); // Float32Array [0, 0, 1, 1, 0, 0], i.e. [[0,0,1],[1,0,0]]
 * ```
 */
import { received, ValueError } from '@tessera/core';

/** Class ids → flat float32 rows [labels.length * numClasses]. */
export function oneHot(labels: ArrayLike<number>, numClasses: number): Float32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ValueError(
      received('oneHot: numClasses must be a positive integer', 'numClasses', numClasses),
    );
  }
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new ValueError(
        received(`oneHot: labels must be integers in [0, ${numClasses})`, `labels[${i}]`, label),
      );
    }
    out[i * numClasses + label] = 1;
  }
  return out;
}
