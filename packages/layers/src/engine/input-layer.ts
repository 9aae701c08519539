/**
 * The entry point of a graph: `input({ shape: [4] })` (Keras's `Input`) makes an
 * InputLayer and returns its SymbolicTensor of shape `(None, 4)`. As the first element
 * of `sequential([...])` it fixes the model's input shape; `m.layers` then leaves it out
 * and `m.inputs` holds it.
 */
import { received, type Tensor, ValueError } from '@tessera/core';
import { Layer } from './layer.js';
import { checkDims, type Shape } from './shape.js';
import { SymbolicTensor } from './symbolic.js';

/** Arguments of `input()`. */
export interface InputArgs {
  /** Shape of one example, without the batch: `[4]`, `[28, 28]`. */
  shape: number[];
  /** Name; default 'input_layer', 'input_layer_1', … */
  name?: string;
  /** Element type of the input: 'float32' (default) or 'int32'. */
  dtype?: 'float32' | 'int32';
}

/** Arguments of `new InputLayer(...)`: `shape`, or the full `batchShape` from a saved config. */
export interface InputLayerArgs {
  /** Shape of one example, without the batch. */
  shape?: number[];
  /** Full shape with the batch first (`[null, 4]`); what `getConfig` saves. */
  batchShape?: (number | null)[];
  /** Name; default 'input_layer', 'input_layer_1', … */
  name?: string;
  /** Element type of the input: 'float32' (default) or 'int32'. */
  dtype?: 'float32' | 'int32';
}

/** The layer behind `input()`: no weights, passes its input through. */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  readonly batchShape: Shape;
  readonly dtype: 'float32' | 'int32';

  constructor(args: InputLayerArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    let dims: number[];
    if (args.shape !== undefined) {
      dims = checkDims(args.shape, 'input', 'shape');
    } else if (args.batchShape !== undefined) {
      dims = checkDims(args.batchShape.slice(1), 'InputLayer', 'batchShape');
    } else {
      throw new ValueError(
        received('input: shape is required (one example, without the batch)', 'shape', undefined),
      );
    }
    const dtype = args.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'int32') {
      throw new ValueError(received("input: dtype must be 'float32' or 'int32'", 'dtype', dtype));
    }
    this.dtype = dtype;
    this.batchShape = [null, ...dims];
    this.built = true;
    this.buildInputShape = this.batchShape;
    const output = new SymbolicTensor({
      shape: this.batchShape,
      dtype,
      sourceLayer: this,
      nodeIndex: 0,
      tensorIndex: 0,
    });
    this.inboundNodes.push({ layer: this, inputs: [], outputs: [output], index: 0 });
  }

  /** An input layer's input is the tensor it provides (Keras). */
  override get input(): SymbolicTensor {
    return this.tensor;
  }

  /** The SymbolicTensor this layer feeds into the graph. */
  get tensor(): SymbolicTensor {
    return this.inboundNodes[0]?.outputs[0] as SymbolicTensor;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return this.single(inputs);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, batchShape: [...this.batchShape], dtype: this.dtype };
  }
}

/**
 * A symbolic input of shape `(None, ...shape)`: the start of a functional model, or the
 * first element of a sequential one.
 *
 * ```ts
 * const x = input({ shape: [4] });
 * const y = layers.dense({ units: 1 }).apply(x);
 * const m = model({ inputs: x, outputs: y });
 * ```
 */
export function input(args: InputArgs): SymbolicTensor {
  if (args === null || typeof args !== 'object') {
    throw new ValueError(
      received('input: expected an options object { shape, name?, dtype? }', 'args', args),
    );
  }
  return new InputLayer(args).tensor;
}
