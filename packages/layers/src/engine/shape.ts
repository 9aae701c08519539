/**
 * Shapes as Keras writes them: a full tensor shape whose batch dimension (and any other
 * dimension not known yet) is `null`. `formatShape([null, 128])` prints `(None, 128)`.
 */
import { received, ShapeError, ValueError } from '@tessera/core';

/** A tensor shape with unknown dimensions as `null`; index 0 is the batch. */
export type Shape = (number | null)[];

/** `(None, 128)`: the Keras spelling used by summaries, plots and error messages. */
export function formatShape(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** Number of elements of a fully known shape (1 for a scalar). */
export function sizeOfShape(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** True when every dimension of `actual` fits `expected` (`null` matches anything). */
export function shapesCompatible(
  expected: readonly (number | null)[],
  actual: readonly (number | null)[],
): boolean {
  if (expected.length !== actual.length) return false;
  return expected.every((d, i) => d === null || actual[i] === null || actual[i] === d);
}

/**
 * Checks a per-example shape given by a user (`inputShape: [28, 28]`): positive integers.
 * `owner` and `argName` name the place in the error message.
 */
export function checkDims(dims: unknown, owner: string, argName: string): number[] {
  if (
    !Array.isArray(dims) ||
    !dims.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)
  ) {
    throw new ValueError(
      received(`${owner}: ${argName} must be an array of positive integers`, argName, dims),
    );
  }
  return [...(dims as number[])];
}

/** The shape of one input of a layer that takes exactly one input. */
export function singleShape(shape: Shape | Shape[], owner: string): Shape {
  if (isShapeList(shape)) {
    if (shape.length !== 1) {
      throw new ShapeError(
        received(`${owner} expects exactly one input`, 'inputShapes', shape.map(formatShape)),
      );
    }
    return shape[0] as Shape;
  }
  return shape;
}

/** Distinguishes a list of shapes from one shape. */
export function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** `"<expected>. Received: shape=(1, 3)"`: `received` for shapes, printed the Keras way. */
export function receivedShape(expected: string, shape: readonly (number | null)[]): string {
  return `${expected}. Received: shape=${formatShape(shape)}`;
}
