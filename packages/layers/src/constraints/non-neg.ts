/**
 * The non_neg constraint: negative weights become zero.
 */

import type { Tensor } from '@tessera/core';
import { tf } from '@tessera/core';
import type { Constraint } from './constraint.js';

/** Sets negative entries to 0 and keeps the others: `w · (w >= 0)`. */
export class NonNeg implements Constraint {
  readonly className = 'NonNeg';

  apply(w: Tensor): Tensor {
    return tf.relu(w);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}
