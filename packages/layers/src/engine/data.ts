/**
 * Row slicing for fit/evaluate/predict: inputs and targets are tensors (or lists of
 * tensors for several inputs/outputs) whose first axis is the example.
 */
import { received, ShapeError, type Tensor, tf, ValueError } from '@tessera/core';
import { receivedShape } from './shape.js';

/** A tensor or a list of tensors, normalised to a list (checked non-empty). */
export function tensorList(x: unknown, what: string): Tensor[] {
  const list = Array.isArray(x) ? x : [x];
  if (list.length === 0 || !list.every((t) => t instanceof tf.Tensor)) {
    throw new ValueError(received(`${what} must be a tensor or a list of tensors`, what, x));
  }
  for (const t of list as Tensor[]) {
    if (t.isDisposed) throw new ValueError(`${what}: a tensor was already disposed`);
    if (t.rank < 1) {
      throw new ShapeError(receivedShape(`${what} needs a batch axis (rank ≥ 1)`, t.shape));
    }
  }
  return list as Tensor[];
}

/** The shared number of rows of all tensors (error if they differ). */
export function rowCount(groups: readonly (readonly Tensor[])[], names: readonly string[]): number {
  let n: number | undefined;
  groups.forEach((group, g) => {
    for (const t of group) {
      const rows = t.shape[0] as number;
      if (n === undefined) n = rows;
      else if (rows !== n) {
        throw new ShapeError(
          received(
            `${names[g]} must have as many rows as the other inputs/targets (${n})`,
            'rows',
            rows,
          ),
        );
      }
    }
  });
  return n ?? 0;
}

/** Rows [start, start + size) of every tensor. */
export function sliceRows(list: readonly Tensor[], start: number, size: number): Tensor[] {
  return list.map((t) =>
    tf.slice(
      t,
      [start, ...t.shape.slice(1).map(() => 0)],
      [size, ...t.shape.slice(1).map(() => -1)],
    ),
  );
}

/** The given rows of every tensor, in that order. */
export function gatherRows(list: readonly Tensor[], rows: Int32Array): Tensor[] {
  const index = tf.tensor1d(rows, 'int32');
  try {
    return list.map((t) => tf.gather(t, index));
  } finally {
    index.dispose();
  }
}

/** Checks a positive-integer option; `owner` and `name` go into the message. */
export function positiveInteger(value: unknown, owner: string, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(received(`${owner}: ${name} must be a positive integer`, name, value));
  }
  return value;
}

/** Disposes every tensor of the list that is still alive. */
export function disposeAll(list: readonly Tensor[]): void {
  for (const t of list) if (!t.isDisposed) t.dispose();
}
