/**
 * Thin QR decomposition of a tall matrix by Householder reflections, in float64.
 * Small and dependency-free; the orthogonal initializer is its only user.
 */

/** Result of `householderQr`: A = Q·R. */
export interface QrResult {
  /** m×n, row-major, orthonormal columns. */
  q: Float64Array;
  /** n×n, row-major, upper triangular (its diagonal may be negative). */
  r: Float64Array;
}

/**
 * QR of the m×n row-major matrix `a` (m >= n; `a` is not modified). Each step reflects
 * column k onto ±‖x‖·e_k, choosing the sign opposite to x_k to avoid cancellation; Q is
 * then accumulated by applying the reflections to the first n columns of the identity.
 */
export function householderQr(a: Float64Array, m: number, n: number): QrResult {
  if (m < n) throw new RangeError(`householderQr: needs rows >= columns, got ${m}×${n}`);
  const w = Float64Array.from(a);
  const reflectors: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(m - k);
    let norm = 0;
    for (let i = k; i < m; i++) {
      const x = w[i * n + k]!;
      v[i - k] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    const x0 = v[0]!;
    const alpha = x0 >= 0 ? -norm : norm;
    v[0] = x0 - alpha;
    let vNorm = 0;
    for (let i = 0; i < v.length; i++) vNorm += v[i]! * v[i]!;
    vNorm = Math.sqrt(vNorm);
    if (vNorm === 0) {
      // Column already zero below the diagonal (or entirely zero): the reflection is I.
      reflectors.push(new Float64Array(m - k));
      continue;
    }
    for (let i = 0; i < v.length; i++) v[i] = v[i]! / vNorm;
    reflect(w, n, k, v, k, n);
    reflectors.push(v);
  }

  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) r[i * n + j] = w[i * n + j]!;
  }
  const q = new Float64Array(m * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--) reflect(q, n, k, reflectors[k]!, 0, n);
  return { q, r };
}

/**
 * Applies H = I − 2·v·vᵀ (v a unit vector acting on rows k..) to columns [from, to) of the
 * row-major matrix `x` with `cols` columns, in place.
 */
function reflect(
  x: Float64Array,
  cols: number,
  k: number,
  v: Float64Array,
  from: number,
  to: number,
): void {
  for (let j = from; j < to; j++) {
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i]! * x[(k + i) * cols + j]!;
    if (dot === 0) continue;
    const twice = 2 * dot;
    for (let i = 0; i < v.length; i++)
      x[(k + i) * cols + j] = x[(k + i) * cols + j]! - twice * v[i]!;
  }
}
