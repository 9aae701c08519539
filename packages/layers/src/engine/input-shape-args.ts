/**
 * The input-shape arguments every layer accepts, resolved to one full shape `[null, ...dims]`:
 * `inputShape` (Keras, tfjs), `inputDim` (`inputShape: [inputDim]` in short) and
 * `batchInputShape` (tfjs-layers and Keras 2 configs: the batch first). Given together they
 * must agree.
 */
import { formatValue, received, ValueError } from '@tessera/core';
import { positiveIntArg } from '../registry/checks.js';
import { checkDims, formatShape, type Shape } from './shape.js';

/**
 * The spellings of the batch-first input shape a config may use: `batchInputShape`
 * (tfjs-layers), `batch_input_shape` (Keras 2 configs) and `batchShape` (Keras 3's
 * InputLayer). The first is the argument's name; the others are read as it.
 */
export const BATCH_INPUT_SHAPE_KEYS = [
  'batchInputShape',
  'batch_input_shape',
  'batchShape',
] as const;

/** The input-shape arguments, as `LayerArgs` holds them. */
export interface InputShapeArgs {
  inputShape?: number[] | undefined;
  inputDim?: number | undefined;
  batchInputShape?: readonly (number | null)[] | undefined;
}

/** `[null, ...dims]` from a layer's input-shape arguments, or undefined when none is given. */
export function declaredInputShape(className: string, args: InputShapeArgs): Shape | undefined {
  let dims =
    args.inputShape === undefined ? undefined : checkDims(args.inputShape, className, 'inputShape');
  if (args.batchInputShape !== undefined) {
    const fromBatch = batchShapeDims(className, 'batchInputShape', args.batchInputShape);
    if (dims !== undefined && !sameDims(dims, fromBatch)) {
      throw new ValueError(
        `${className}: inputShape and batchInputShape disagree; give one (batchInputShape is [batch, ...inputShape]). Received: inputShape=${formatValue(args.inputShape)}, batchInputShape=${formatValue(args.batchInputShape)}`,
      );
    }
    dims = fromBatch;
  }
  if (args.inputDim !== undefined) {
    const dim = positiveIntArg(className, 'inputDim', args.inputDim);
    if (dims !== undefined && dims.at(-1) !== dim) {
      throw new ValueError(
        received(
          `${className}: inputDim must be the last entry of inputShape ${formatShape([null, ...dims])}`,
          'inputDim',
          args.inputDim,
        ),
      );
    }
    dims ??= [dim];
  }
  return dims === undefined ? undefined : [null, ...dims];
}

/**
 * The dimensions after the batch of a full shape `[batch, ...dims]`: the batch entry null
 * or a positive integer (a fixed batch size, which Tessera models do not keep: they take
 * any batch), the others positive integers.
 */
export function batchShapeDims(className: string, argName: string, shape: unknown): number[] {
  const batch = Array.isArray(shape) ? (shape[0] as unknown) : undefined;
  if (
    !Array.isArray(shape) ||
    shape.length === 0 ||
    !(batch === null || (Number.isInteger(batch) && (batch as number) > 0))
  ) {
    throw new ValueError(
      received(
        `${className}: ${argName} must be [batch, ...dims] with batch null or a positive integer`,
        argName,
        shape,
      ),
    );
  }
  return checkDims(shape.slice(1), className, argName);
}

/** True when two lists of dimensions are the same. */
export function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
