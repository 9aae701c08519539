/**
 * What one (batched, fused) matrix multiplication asks of a GEMM engine, independent of
 * tfjs: C[i] = act(op(A[aIndex[i]]) · op(B[bIndex[i]]) + bias) for every output matrix i.
 */

/** Activations tfjs's `_FusedMatMul` may request, by its attribute names. */
export type FusedActivation =
  | 'linear'
  | 'relu'
  | 'relu6'
  | 'leakyrelu'
  | 'prelu'
  | 'elu'
  | 'sigmoid';

/** Every {@link FusedActivation}, for validation and tests. */
export const FUSED_ACTIVATIONS: readonly FusedActivation[] = [
  'linear',
  'relu',
  'relu6',
  'leakyrelu',
  'prelu',
  'elu',
  'sigmoid',
];

/** One batched GEMM with its epilogue. All matrices are float32, row-major, back to back. */
export interface GemmProblem {
  /** Matrices of A, each m×k (k×m when `transposeA`). */
  a: Float32Array;
  /** Matrices of B, each k×n (n×k when `transposeB`). */
  b: Float32Array;
  /** Rows of op(A) and of each output matrix. */
  m: number;
  /** Columns of op(B) and of each output matrix. */
  n: number;
  /** Columns of op(A) = rows of op(B). */
  k: number;
  /** Whether A is stored transposed (k×m). */
  transposeA: boolean;
  /** Whether B is stored transposed (n×k). */
  transposeB: boolean;
  /** For output matrix i, the index of its A matrix in `a`; length = number of outputs. */
  aIndex: Int32Array;
  /** For output matrix i, the index of its B matrix in `b`; same length as `aIndex`. */
  bIndex: Int32Array;
  /** n values added to every row of every output, or null. */
  bias: Float32Array | null;
  /** Applied after the bias. */
  activation: FusedActivation;
  /** Slope of 'leakyrelu' for negative inputs. */
  leakyreluAlpha: number;
  /** n per-column slopes of 'prelu' (null for other activations). */
  preluWeights: Float32Array | null;
}

/** A GEMM implementation: WebAssembly SIMD or the pure-JS fallback. */
export interface GemmEngine {
  /** Short name for reports, e.g. 'wasm-relaxed'. */
  readonly name: string;
  /** Computes every output matrix of `problem` into a new array of aIndex.length·m·n floats. */
  run(problem: GemmProblem): Float32Array;
}

/** Floating-point operations of a GEMM (a multiply-add counts as two), for GFLOP/s figures. */
export function gemmFlops(args: { m: number; n: number; k: number; batch?: number }): number {
  return 2 * args.m * args.n * args.k * (args.batch ?? 1);
}
