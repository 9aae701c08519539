/**
 * `regularizers`: weight penalties added to the training loss.
 *
 * ```ts
 * import { regularizers } from '@tessera/layers';
 * layers.dense({ units: 5, kernelRegularizer: regularizers.l1(0.001), biasRegularizer: 'l2' });
 * ```
 */

import type { L1L2Args } from './l1-l2.js';
import { DEFAULT_FACTOR, L1, L1L2, L2 } from './l1-l2.js';
import { deserialize, get, names, register, serialize } from './registry.js';

/** `l1 · Σ|x|` (default factor 0.01). */
function l1(factor: number = DEFAULT_FACTOR): L1 {
  return new L1({ l1: factor });
}

/** `l2 · Σx²` (default factor 0.01). */
function l2(factor: number = DEFAULT_FACTOR): L2 {
  return new L2({ l2: factor });
}

/** `l1 · Σ|x| + l2 · Σx²`; each factor defaults to 0.01, as tf.keras's `l1_l2()`. */
function l1l2(args: L1L2Args = {}): L1L2 {
  return new L1L2({ l1: args.l1 ?? DEFAULT_FACTOR, l2: args.l2 ?? DEFAULT_FACTOR });
}

/** The regularizer registry and factories. */
export const regularizers = {
  get,
  serialize,
  deserialize,
  register,
  names,
  l1,
  l2,
  l1l2,
} as const;

export type { L1Args, L1L2Args, L2Args } from './l1-l2.js';
export { L1, L1L2, L2 } from './l1-l2.js';
export type {
  CustomRegularizerName,
  RegularizerIdentifier,
  RegularizerName,
  SerializedRegularizer,
} from './registry.js';
export { REGULARIZER_NAMES } from './registry.js';
export type { Regularizer } from './regularizer.js';
export { isRegularizer } from './regularizer.js';
