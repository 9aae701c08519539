/**
 * The entry point of a graph: `input({ shape: [4] })` (Keras's `Input`) makes an
 * InputLayer and returns its SymbolicTensor of shape `(None, 4)`. As the first element
 * of `sequential([...])` it fixes the model's input shape; `m.layers` then leaves it out
 * and `m.inputs` holds it.
 */
import { formatValue, received, type Tensor, ValueError } from '@tessera/core';
import { checkLayerArgs, keysOf } from './arg-keys.js';
import { batchShapeDims, sameDims } from './input-shape-args.js';
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
  /**
   * Full shape with the batch first (`[null, 4]`); what `getConfig` saves. The batch entry is
   * null or a positive integer; a fixed batch size is ignored, as models take any batch.
   */
  batchShape?: readonly (number | null)[];
  /** `batchShape` under tfjs-layers' name (configs may also write `batch_input_shape`). */
  batchInputShape?: readonly (number | null)[];
  /** Name; default 'input_layer', 'input_layer_1', … */
  name?: string;
  /** Element type of the input: 'float32' (default) or 'int32'. */
  dtype?: 'float32' | 'int32';
  /** Keras and tfjs-layers configs write `sparse: false`; sparse inputs are not supported. */
  sparse?: boolean;
}

/** The layer behind `input()`: no weights, passes its input through. */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  static override readonly argKeys: readonly string[] = keysOf<InputLayerArgs>()([
    'shape',
    'batchShape',
    'batchInputShape',
    'dtype',
    'sparse',
    'name',
  ]);
  readonly batchShape: Shape;
  readonly dtype: 'float32' | 'int32';

  constructor(args: InputLayerArgs) {
    // Only the name reaches the Layer constructor, so the keys are checked here.
    args = checkLayerArgs(new.target, args);
    super(args.name === undefined ? {} : { name: args.name });
    const dims = inputDims(args);
    if (args.sparse !== undefined && args.sparse !== false) {
      throw new ValueError(
        received(
          'input: sparse inputs are not supported; sparse must be false',
          'sparse',
          args.sparse,
        ),
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

/** The dimensions after the batch, from `shape` or the full `batchShape` (given once, or agreeing). */
function inputDims(args: InputLayerArgs): number[] {
  const given = [
    args.shape === undefined ? undefined : checkDims(args.shape, 'input', 'shape'),
    args.batchShape === undefined
      ? undefined
      : batchShapeDims('InputLayer', 'batchShape', args.batchShape),
    args.batchInputShape === undefined
      ? undefined
      : batchShapeDims('InputLayer', 'batchInputShape', args.batchInputShape),
  ].filter((d): d is number[] => d !== undefined);
  const dims = given[0];
  if (dims === undefined) {
    throw new ValueError(
      received('input: shape is required (one example, without the batch)', 'shape', undefined),
    );
  }
  if (given.some((d) => !sameDims(d, dims))) {
    throw new ValueError(
      `InputLayer: shape, batchShape and batchInputShape disagree; give one. Received: shape=${formatValue(args.shape)}, batchShape=${formatValue(args.batchShape)}, batchInputShape=${formatValue(args.batchInputShape)}`,
    );
  }
  return dims;
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
