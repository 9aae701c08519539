/**
 * The Regularizer interface: a penalty on a weight, added to the training loss.
 */
import type { Tensor } from '@tessera/core';
import { hasMembers } from '../registry/duck-typing.js';

/**
 * A weight penalty. `apply(w)` returns a scalar that the training step adds to the loss.
 *
 * ```ts
 * layers.dense({ units: 3, kernelRegularizer: regularizers.l2(0.01) });
 * ```
 */
export interface Regularizer {
  /** The name it is serialized under, e.g. 'L2'. */
  readonly className: string;
  /** The penalty of `x`, a new scalar tensor. */
  apply(x: Tensor): Tensor;
  /** Constructor arguments as plain JSON (camelCase keys). */
  getConfig(): Record<string, unknown>;
}

/** Duck-typed check, so user classes need no base class. */
export function isRegularizer(value: unknown): value is Regularizer {
  return hasMembers(value, { className: 'string', apply: 'function', getConfig: 'function' });
}
