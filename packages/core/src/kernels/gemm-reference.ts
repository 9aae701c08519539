/**
 * A float64 reference for {@link GemmProblem}s and a comparison with a float32 result
 * under a rigorous error bound, for tests and for the benchmark's sanity check.
 *
 * Bound: a float32 sum of k products, in any order, with or without fused multiply-add,
 * is within γ·Σ|terms| of the exact sum, γ = k·u/(1 - k·u), u = 2⁻²⁴. We allow twice
 * γ for k + 2 terms (bias and the final rounding included), scaled by the steepest slope
 * of the activation, plus one rounding of the result.
 */
import type { GemmProblem } from './gemm-problem.js';

/** Exact-ish values and the allowed error of each output element. */
export interface ReferenceResult {
  /** The float64 result, same layout as the engine's output. */
  values: Float64Array;
  /** The largest error a correct float32 GEMM may have at each element. */
  tolerance: Float64Array;
}

/** The outcome of {@link compareWithReference}. */
export interface ReferenceComparison {
  /** Every element is within its tolerance (and NaN where the reference is NaN). */
  ok: boolean;
  /** How many elements are not. */
  mismatches: number;
  /** The first element that is not. */
  first?: { index: number; actual: number; expected: number; tolerance: number };
}

const UNIT_ROUNDOFF = 2 ** -24;

function activate(x: number, p: GemmProblem, column: number): number {
  switch (p.activation) {
    case 'linear':
      return x;
    case 'relu':
      return Math.max(x, 0);
    case 'relu6':
      return x < 0 ? 0 : Math.min(x, 6);
    case 'leakyrelu':
      return x < 0 ? p.leakyreluAlpha * x : x;
    case 'prelu':
      return x < 0 ? p.preluWeights![column]! * x : x;
    case 'elu':
      return x >= 0 ? x : Math.exp(x) - 1;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
  }
}

function steepestSlope(p: GemmProblem): number {
  if (p.activation === 'leakyrelu') return Math.max(1, Math.abs(p.leakyreluAlpha));
  if (p.activation === 'prelu') {
    let s = 1;
    for (const w of p.preluWeights!) s = Math.max(s, Math.abs(w));
    return s;
  }
  return 1;
}

/** Computes `p` in float64 by the definition, element by element. */
export function referenceGemm(p: GemmProblem): ReferenceResult {
  const { m, n, k } = p;
  const count = p.aIndex.length;
  const values = new Float64Array(count * m * n);
  const tolerance = new Float64Array(count * m * n);
  const gamma = 2 * (k + 2) * UNIT_ROUNDOFF;
  const slope = steepestSlope(p);
  for (let index = 0; index < count; index++) {
    const aOff = p.aIndex[index]! * m * k;
    const bOff = p.bIndex[index]! * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        let abs = 0;
        for (let kk = 0; kk < k; kk++) {
          const a = p.transposeA ? p.a[aOff + kk * m + i]! : p.a[aOff + i * k + kk]!;
          const b = p.transposeB ? p.b[bOff + j * k + kk]! : p.b[bOff + kk * n + j]!;
          sum += a * b;
          abs += Math.abs(a * b);
        }
        if (p.bias !== null) {
          sum += p.bias[j]!;
          abs += Math.abs(p.bias[j]!);
        }
        const out = index * m * n + i * n + j;
        const y = activate(sum, p, j);
        values[out] = y;
        tolerance[out] = gamma * abs * slope + 2 * UNIT_ROUNDOFF * Math.abs(y) + 1e-37;
      }
    }
  }
  return { values, tolerance };
}

/** Checks a float32 result element by element against a reference. */
export function compareWithReference(
  actual: ArrayLike<number>,
  reference: ReferenceResult,
): ReferenceComparison {
  const { values, tolerance } = reference;
  if (actual.length !== values.length) {
    return {
      ok: false,
      mismatches: Math.max(actual.length, values.length),
      first: { index: -1, actual: actual.length, expected: values.length, tolerance: 0 },
    };
  }
  let mismatches = 0;
  let first: ReferenceComparison['first'];
  for (let i = 0; i < values.length; i++) {
    const got = actual[i]!;
    const want = values[i]!;
    const good =
      got === want ||
      (Number.isNaN(want) ? Number.isNaN(got) : Math.abs(got - want) <= tolerance[i]!);
    if (!good) {
      mismatches++;
      first ??= { index: i, actual: got, expected: want, tolerance: tolerance[i]! };
    }
  }
  return first === undefined ? { ok: true, mismatches } : { ok: false, mismatches, first };
}
