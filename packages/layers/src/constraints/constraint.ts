/**
 * The Constraint interface and the axis handling the norm constraints share.
 */

import type { Tensor } from '@tessera/core';
import { received, tf, ValueError } from '@tessera/core';
import { hasMembers } from '../registry/duck-typing.js';

/**
 * A projection applied to a weight after each optimizer update.
 *
 * ```ts
 * layers.dense({ units: 64, kernelConstraint: constraints.maxNorm({ maxValue: 3 }) });
 * ```
 */
export interface Constraint {
  /** The name it is serialized under, e.g. 'MaxNorm'. */
  readonly className: string;
  /** The projected weight, a new tensor of the same shape. */
  apply(w: Tensor): Tensor;
  /** Constructor arguments as plain JSON (camelCase keys). */
  getConfig(): Record<string, unknown>;
}

/** Duck-typed check, so user classes need no base class. */
export function isConstraint(value: unknown): value is Constraint {
  return hasMembers(value, { className: 'string', apply: 'function', getConfig: 'function' });
}

/** Keras's fuzz factor, added to norms before dividing by them. */
export const EPSILON = 1e-7;

/** One axis or several; negative axes count from the end. */
export type Axis = number | number[];

/** `axis` checked to be an integer or a non-empty array of integers (a copy). */
export function checkAxis(owner: string, axis: unknown, fallback: Axis): Axis {
  if (axis === undefined) return fallback;
  const ok =
    (typeof axis === 'number' && Number.isInteger(axis)) ||
    (Array.isArray(axis) &&
      axis.length > 0 &&
      axis.every((a) => typeof a === 'number' && Number.isInteger(a)));
  if (!ok) {
    throw new ValueError(
      received(`${owner}: axis must be an integer or a non-empty array of integers`, 'axis', axis),
    );
  }
  return Array.isArray(axis) ? [...(axis as number[])] : (axis as number);
}

/** The axes as distinct non-negative indices into a weight of rank `rank`. */
function resolveAxes(owner: string, axis: Axis, rank: number): number[] {
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => {
    if (a < -rank || a >= rank) {
      throw new ValueError(
        received(`${owner}: axis is out of range for a weight of rank ${rank}`, 'axis', axis),
      );
    }
    return a < 0 ? a + rank : a;
  });
  if (new Set(axes).size !== axes.length) {
    throw new ValueError(received(`${owner}: axis lists the same dimension twice`, 'axis', axis));
  }
  return axes;
}

/** Euclidean norms of `w` over `axis`, kept as size-1 dimensions so they broadcast back. */
export function norms(owner: string, w: Tensor, axis: Axis): Tensor {
  const axes = resolveAxes(owner, axis, w.rank);
  return tf.tidy(() => tf.sqrt(tf.sum(tf.square(w), axes, true)));
}
