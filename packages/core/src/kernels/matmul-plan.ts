/**
 * Shape logic of tfjs's BatchMatMul / _FusedMatMul contract, separate from any engine:
 * which matrices multiply, the output shape, and whether a bias or PReLU weight tensor
 * is a per-column vector the engines handle (anything else goes to tfjs's own kernel).
 */
import { ShapeError } from '../errors.js';

/** How one batched matMul maps onto GEMM calls. */
export interface MatMulPlan {
  /** Rows of op(a). */
  m: number;
  /** Columns of op(b). */
  n: number;
  /** The shared dimension. */
  k: number;
  /** Broadcast batch dims followed by [m, n]. */
  outShape: number[];
  /** For each output matrix (row-major over the batch dims), the matrix of `a` it uses. */
  aIndex: Int32Array;
  /** For each output matrix, the matrix of `b` it uses. */
  bIndex: Int32Array;
}

function describe(a: readonly number[], b: readonly number[], ta: boolean, tb: boolean): string {
  return `a.shape=[${a.join(',')}], b.shape=[${b.join(',')}], transposeA=${ta}, transposeB=${tb}`;
}

/**
 * For every index of the broadcast batch shape `outer` (row-major), the flat index of the
 * matching matrix in an operand whose batch shape is `dims` (right-aligned; size-1 dims
 * repeat).
 */
export function broadcastIndex(outer: readonly number[], dims: readonly number[]): Int32Array {
  let count = 1;
  for (const d of outer) count *= d;
  const result = new Int32Array(count);
  const offset = outer.length - dims.length;
  // Stride of each output dim in the operand (0 where the operand broadcasts).
  const strides = new Array<number>(outer.length).fill(0);
  let stride = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    const d = dims[i]!;
    if (d !== 1) strides[i + offset] = stride;
    stride *= d;
  }
  const pos = new Array<number>(outer.length).fill(0);
  for (let flat = 0; flat < count; flat++) {
    let index = 0;
    for (let i = 0; i < outer.length; i++) index += pos[i]! * strides[i]!;
    result[flat] = index;
    for (let i = outer.length - 1; i >= 0; i--) {
      pos[i] = pos[i]! + 1;
      if (pos[i]! < outer[i]!) break;
      pos[i] = 0;
    }
  }
  return result;
}

/**
 * Plans `matMul(a, b, transposeA, transposeB)` for tensors of rank >= 2 whose leading
 * (batch) dims broadcast against each other. Throws a ShapeError when they do not fit.
 */
export function planMatMul(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulPlan {
  const context = describe(aShape, bShape, transposeA, transposeB);
  if (aShape.length < 2 || bShape.length < 2) {
    throw new ShapeError(`matMul: both operands must have rank >= 2. Received: ${context}`);
  }
  const ar = aShape.length;
  const br = bShape.length;
  const m = transposeA ? aShape[ar - 1]! : aShape[ar - 2]!;
  const k = transposeA ? aShape[ar - 2]! : aShape[ar - 1]!;
  const kb = transposeB ? bShape[br - 1]! : bShape[br - 2]!;
  const n = transposeB ? bShape[br - 2]! : bShape[br - 1]!;
  if (k !== kb) {
    throw new ShapeError(
      `matMul: the inner dimensions of op(a) (${k}) and op(b) (${kb}) must match. Received: ${context}`,
    );
  }
  const aOuter = aShape.slice(0, -2);
  const bOuter = bShape.slice(0, -2);
  const rank = Math.max(aOuter.length, bOuter.length);
  const outer: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = aOuter[i - (rank - aOuter.length)] ?? 1;
    const db = bOuter[i - (rank - bOuter.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `matMul: the batch dimensions of a and b must be equal or 1. Received: ${context}`,
      );
    }
    outer.push(da === 1 ? db : da);
  }
  return {
    m,
    n,
    k,
    outShape: [...outer, m, n],
    aIndex: broadcastIndex(outer, aOuter),
    bIndex: broadcastIndex(outer, bOuter),
  };
}

/**
 * When a tensor of `shape` broadcast against an output of rank `outRank` with n columns
 * is one value per column (a scalar, or shape [..1, n]), returns those n values; else
 * null. A tensor of higher rank than the output would widen the output, so it is null too.
 */
export function columnVector(
  values: Float32Array,
  shape: readonly number[],
  n: number,
  outRank: number,
): Float32Array | null {
  if (shape.length > outRank) return null;
  if (values.length === 1) return new Float32Array(n).fill(values[0]!);
  const last = shape[shape.length - 1];
  if (last !== n || values.length !== n) return null;
  return values;
}
