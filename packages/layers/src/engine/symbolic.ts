/**
 * The functional API's graph: a SymbolicTensor is a placeholder with a shape and no
 * values; applying a layer to symbolic tensors records a Node (layer, inputs, outputs)
 * on that layer instead of computing. A model is the set of nodes between its inputs
 * and its outputs.
 *
 * ```ts
 * const x = input({ shape: [4] });               // SymbolicTensor, shape (None, 4)
 * const h = layers.dense({ units: 3 }).apply(x); // records a node; h.shape = (None, 3)
 * ```
 */
import type { DataType } from '@tessera/core';
import type { Layer } from './layer.js';
import { formatShape, type Shape } from './shape.js';

let nextId = 0;

/** Output of a layer in a graph: shape and dtype, and where it came from. */
export class SymbolicTensor {
  /** Unique in the process; used as a map key when running a graph. */
  readonly id: number;
  /** Full shape, batch first (`null` where unknown). */
  readonly shape: Shape;
  readonly dtype: DataType;
  /** Readable name: '<layer>/<node>/<index>'. */
  readonly name: string;
  /** The layer whose node produced it. */
  readonly sourceLayer: Layer;
  /** Which call of `sourceLayer` produced it (index into its `inboundNodes`). */
  readonly nodeIndex: number;
  /** Which of that node's outputs it is. */
  readonly tensorIndex: number;

  constructor(args: {
    shape: Shape;
    dtype: DataType;
    sourceLayer: Layer;
    nodeIndex: number;
    tensorIndex: number;
  }) {
    this.id = nextId++;
    this.shape = [...args.shape];
    this.dtype = args.dtype;
    this.sourceLayer = args.sourceLayer;
    this.nodeIndex = args.nodeIndex;
    this.tensorIndex = args.tensorIndex;
    this.name = `${args.sourceLayer.name}/${args.nodeIndex}/${args.tensorIndex}`;
  }

  /** Number of dimensions, batch included. */
  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `<SymbolicTensor shape=${formatShape(this.shape)} dtype=${this.dtype} name=${this.name}>`;
  }
}

/** One application of a layer inside a graph. */
export interface Node {
  readonly layer: Layer;
  /** Empty for the node of an InputLayer. */
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Position in `layer.inboundNodes`. */
  readonly index: number;
  /**
   * `training` fixed when the layer was applied (`apply(x, { training: true })`): the
   * model then runs this node in that mode whatever mode it is called in, as Keras does.
   */
  readonly training?: boolean;
}

/** True for a SymbolicTensor or a non-empty list of them. */
export function isSymbolic(x: unknown): x is SymbolicTensor | SymbolicTensor[] {
  if (x instanceof SymbolicTensor) return true;
  return Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof SymbolicTensor);
}
