/**
 * Plain-memory optimizer state for single-thread training (the trainer allocates its own
 * shared arrays the same way: one zero-filled Float32Array per slot name).
 */
import { received, ValueError } from '@tessera/core';
import type { Optimizer } from './optimizer.js';

/**
 * One zero-filled Float32Array of `length` per `optimizer.slotNames` entry, in that order:
 * the initial state of every optimizer.
 *
 * ```ts
 * const slots = createSlots(adam, params.length); // [m, v]
 * ```
 */
export function createSlots(optimizer: Optimizer, length: number): Float32Array[] {
  if (!(Number.isInteger(length) && length >= 0)) {
    throw new ValueError(
      received('createSlots: length must be a non-negative integer', 'length', length),
    );
  }
  return optimizer.slotNames.map(() => new Float32Array(length));
}
