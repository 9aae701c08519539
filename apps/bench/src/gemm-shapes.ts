/**
 * The GEMMs of the reference task (MNIST 784-128-10 MLP) at the full batch of 128 and
 * at a 2-worker shard of 64, plus 512³. Each row is one matMul as tfjs calls it:
 * forward Y = X·W, weight gradient dW = Xᵀ·dY (transposeA), input gradient dX = dY·Wᵀ
 * (transposeB).
 */

/** One matMul: op(A) is m×k, op(B) is k×n. */
export interface GemmShape {
  /** Short label. */
  name: string;
  /** Rows of op(A). */
  m: number;
  /** Columns of op(B). */
  n: number;
  /** The shared dimension. */
  k: number;
  /** A is stored k×m. */
  transposeA: boolean;
  /** B is stored n×k. */
  transposeB: boolean;
  /** Which training step the GEMM belongs to ('B=128', 'B=64'), if any. */
  step?: string;
}

function referenceShapes(batch: number): GemmShape[] {
  const step = `B=${batch}`;
  const shapes: Omit<GemmShape, 'step'>[] = [
    {
      name: `dense1 fwd X·W  B=${batch}`,
      m: batch,
      n: 128,
      k: 784,
      transposeA: false,
      transposeB: false,
    },
    {
      name: `dense2 fwd H·W  B=${batch}`,
      m: batch,
      n: 10,
      k: 128,
      transposeA: false,
      transposeB: false,
    },
    {
      name: `dense1 dW Xᵀ·dY B=${batch}`,
      m: 784,
      n: 128,
      k: batch,
      transposeA: true,
      transposeB: false,
    },
    {
      name: `dense2 dW Hᵀ·dY B=${batch}`,
      m: 128,
      n: 10,
      k: batch,
      transposeA: true,
      transposeB: false,
    },
    {
      name: `dense2 dX dY·Wᵀ B=${batch}`,
      m: batch,
      n: 128,
      k: 10,
      transposeA: false,
      transposeB: true,
    },
  ];
  return shapes.map((shape) => ({ ...shape, step }));
}

/** The benchmark's shapes, in table order. */
export const GEMM_SHAPES: readonly GemmShape[] = [
  ...referenceShapes(128),
  ...referenceShapes(64),
  { name: '512³', m: 512, n: 512, k: 512, transposeA: false, transposeB: false },
];

/** "NN", "TN", "NT" or "TT": which operands are transposed. */
export function transposeLabel(shape: GemmShape): string {
  return `${shape.transposeA ? 'T' : 'N'}${shape.transposeB ? 'T' : 'N'}`;
}

/** Stored shapes of A and B. */
export function operandShapes(shape: GemmShape): { a: [number, number]; b: [number, number] } {
  return {
    a: shape.transposeA ? [shape.k, shape.m] : [shape.m, shape.k],
    b: shape.transposeB ? [shape.n, shape.k] : [shape.k, shape.n],
  };
}
