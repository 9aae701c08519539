/**
 * The Initializer interface and what every initializer needs: shape checks and the
 * choice of random stream (the caller's, or one made from the initializer's own seed).
 */

import type { Tensor } from '@tessera/core';
import { RngStream, received, ValueError } from '@tessera/core';
import { hasMembers } from '../registry/duck-typing.js';

/**
 * Produces the initial values of a weight.
 *
 * ```ts
 * const kernel = initializers.get('glorot_uniform').generate([784, 128], rng.stream('init'));
 * ```
 */
export interface Initializer {
  /** The name it is serialized under, e.g. 'GlorotUniform'. */
  readonly className: string;
  /**
   * A new float32 tensor of `shape`. Random initializers draw only from `rng`, unless their
   * config has a `seed`: then from a fresh stream made from that seed (same values every call).
   */
  generate(shape: number[], rng: RngStream): Tensor;
  /** Constructor arguments as plain JSON (camelCase keys). */
  getConfig(): Record<string, unknown>;
}

/** Duck-typed check, so user classes need no base class. */
export function isInitializer(value: unknown): value is Initializer {
  return hasMembers(value, { className: 'string', generate: 'function', getConfig: 'function' });
}

/** `shape` checked to be an array of non-negative integers (a copy). */
export function checkShape(owner: string, shape: unknown): number[] {
  if (
    !Array.isArray(shape) ||
    !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
  ) {
    throw new ValueError(
      received(`${owner}: shape must be an array of non-negative integers`, 'shape', shape),
    );
  }
  return [...shape] as number[];
}

/** Number of elements of a (checked) shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The stream to draw from: one made from `seed` when set, else the caller's `rng`. */
export function streamFor(owner: string, seed: number | undefined, rng: unknown): RngStream {
  if (seed !== undefined) return RngStream.fromSeed(seed);
  if (rng instanceof RngStream) return rng;
  throw new ValueError(
    received(
      `${owner}.generate: needs an RngStream to draw from (or a seed in its config)`,
      'rng',
      rng,
    ),
  );
}
