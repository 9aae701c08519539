/**
 * The one place where `fit`, `evaluate` and `predict` accept plain data as Keras and tfjs
 * do: a nested number array (`[[3, 5], [5, 1]]`) or a typed array becomes one float32
 * tensor; a tensor, or a list of tensors for several inputs/outputs, passes through.
 * Targets given as a flat list (`[75, 82, 93]`) for an output of one unit become a column,
 * as Keras reshapes them.
 */
import { received, type Tensor, tf, ValueError } from '@tessera/core';
import type { Shape } from './shape.js';

/** Numbers nested to any depth: `[1, 2]`, `[[3, 5], [5, 1]]`, … */
export type NestedNumbers = readonly (number | NestedNumbers)[];

/** A numeric typed array (one example per element for a 1-D input). */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

/** What `fit`/`evaluate`/`predict` take as inputs or targets. */
export type ModelData = Tensor | Tensor[] | NestedNumbers | NumericArray;

/** Tensors for the model, and those of them made here (the caller disposes them). */
export interface ConvertedData {
  tensors: Tensor | Tensor[];
  owned: Tensor[];
}

function isNumericArray(value: unknown): value is NumericArray {
  return (
    ArrayBuffer.isView(value) &&
    !(value instanceof DataView) &&
    !(value instanceof BigInt64Array) &&
    !(value instanceof BigUint64Array)
  );
}

function isNested(value: unknown): value is NestedNumbers {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first: unknown = value[0];
  return typeof first === 'number' || Array.isArray(first) || isNumericArray(first);
}

/**
 * Converts `value` (named `what` in errors); `outputShapes`, for targets, lets a flat list
 * for a one-unit output become a column.
 */
export function toModelData(
  value: unknown,
  what: string,
  outputShapes?: readonly Shape[],
): ConvertedData {
  let tensor: Tensor;
  if (isNumericArray(value)) {
    tensor = tf.tensor(Float32Array.from(value), [value.length]);
  } else if (isNested(value)) {
    const shape = rectangularShape(value);
    if (shape === undefined) {
      throw new ValueError(
        received(`${what} must be a rectangular array of numbers`, what, shapeHint(value)),
      );
    }
    tensor = tf.tensor(value as number[][], shape, 'float32');
  } else {
    return { tensors: value as Tensor | Tensor[], owned: [] };
  }
  const out = outputShapes?.length === 1 ? outputShapes[0] : undefined;
  if (tensor.rank === 1 && out !== undefined && out.length === 2 && out[1] === 1) {
    const column = tf.reshape(tensor, [tensor.shape[0] as number, 1]);
    tensor.dispose();
    tensor = column;
  }
  return { tensors: tensor, owned: [tensor] };
}

/** The shape of a nested array whose rows at each depth all have one length, else undefined. */
function rectangularShape(value: NestedNumbers): number[] | undefined {
  const shape: number[] = [];
  for (
    let level: unknown = value;
    Array.isArray(level) || isNumericArray(level);
    level = (level as ArrayLike<unknown>)[0]
  ) {
    shape.push((level as ArrayLike<unknown>).length);
  }
  const check = (node: unknown, depth: number): boolean => {
    if (depth === shape.length) return typeof node === 'number';
    if (!(Array.isArray(node) || isNumericArray(node)) || node.length !== shape[depth])
      return false;
    return Array.prototype.every.call(node, (child: unknown) => check(child, depth + 1));
  };
  return check(value, 0) ? shape : undefined;
}

function shapeHint(value: NestedNumbers): string {
  return `an array of ${value.length} rows of lengths ${value
    .slice(0, 5)
    .map((r) => (Array.isArray(r) ? r.length : 'scalar'))
    .join(', ')}${value.length > 5 ? ', …' : ''}`;
}
