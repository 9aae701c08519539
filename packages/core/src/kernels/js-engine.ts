/**
 * The pure-JS GEMM used where WebAssembly SIMD is missing (or with TESSERA_KERNELS=js).
 * op(B) is made a contiguous k×n matrix, then 4 rows of C are computed at a time over
 * 4 values of k, so each B element loaded serves four multiply-adds and each C element is
 * stored once per 4 k-steps. Sums of four products are formed in double precision and
 * rounded to float32 when stored, so results are at least as accurate as float32 GEMM.
 */
import type { GemmEngine, GemmProblem } from './gemm-problem.js';
import { applyActivationInPlace } from './js-activation.js';

/** Computes rows i..i+3 of C += op(A)·op(B) for one output matrix; see {@link JsGemmEngine}. */
function fourRows(
  c: Float32Array,
  cOff: number,
  bk: Float32Array,
  n: number,
  k: number,
  aAt: (i: number, kk: number) => number,
  i: number,
): void {
  const r0 = cOff + i * n;
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  let kk = 0;
  for (; kk + 4 <= k; kk += 4) {
    const a00 = aAt(i, kk);
    const a01 = aAt(i, kk + 1);
    const a02 = aAt(i, kk + 2);
    const a03 = aAt(i, kk + 3);
    const a10 = aAt(i + 1, kk);
    const a11 = aAt(i + 1, kk + 1);
    const a12 = aAt(i + 1, kk + 2);
    const a13 = aAt(i + 1, kk + 3);
    const a20 = aAt(i + 2, kk);
    const a21 = aAt(i + 2, kk + 1);
    const a22 = aAt(i + 2, kk + 2);
    const a23 = aAt(i + 2, kk + 3);
    const a30 = aAt(i + 3, kk);
    const a31 = aAt(i + 3, kk + 1);
    const a32 = aAt(i + 3, kk + 2);
    const a33 = aAt(i + 3, kk + 3);
    const b0 = kk * n;
    const b1 = b0 + n;
    const b2 = b1 + n;
    const b3 = b2 + n;
    for (let j = 0; j < n; j++) {
      const x0 = bk[b0 + j]!;
      const x1 = bk[b1 + j]!;
      const x2 = bk[b2 + j]!;
      const x3 = bk[b3 + j]!;
      c[r0 + j] = c[r0 + j]! + (a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3);
      c[r1 + j] = c[r1 + j]! + (a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3);
      c[r2 + j] = c[r2 + j]! + (a20 * x0 + a21 * x1 + a22 * x2 + a23 * x3);
      c[r3 + j] = c[r3 + j]! + (a30 * x0 + a31 * x1 + a32 * x2 + a33 * x3);
    }
  }
  for (; kk < k; kk++) {
    const a0 = aAt(i, kk);
    const a1 = aAt(i + 1, kk);
    const a2 = aAt(i + 2, kk);
    const a3 = aAt(i + 3, kk);
    const b0 = kk * n;
    for (let j = 0; j < n; j++) {
      const x = bk[b0 + j]!;
      c[r0 + j] = c[r0 + j]! + a0 * x;
      c[r1 + j] = c[r1 + j]! + a1 * x;
      c[r2 + j] = c[r2 + j]! + a2 * x;
      c[r3 + j] = c[r3 + j]! + a3 * x;
    }
  }
}

/** Computes row i of C += op(A)·op(B) for one output matrix (the rows left over from fours). */
function oneRow(
  c: Float32Array,
  cOff: number,
  bk: Float32Array,
  n: number,
  k: number,
  aAt: (i: number, kk: number) => number,
  i: number,
): void {
  const r = cOff + i * n;
  for (let kk = 0; kk < k; kk++) {
    const a = aAt(i, kk);
    const b0 = kk * n;
    for (let j = 0; j < n; j++) c[r + j] = c[r + j]! + a * bk[b0 + j]!;
  }
}

/** Pure TypedArray GEMM; see the module comment. One instance per thread. */
export class JsGemmEngine implements GemmEngine {
  readonly name = 'js';
  private scratch = new Float32Array(0);

  /** Returns op(B) of matrix `index` as a contiguous k×n array (a view when not transposed). */
  private bMatrix(p: GemmProblem, index: number): Float32Array {
    const size = p.k * p.n;
    const off = index * size;
    if (!p.transposeB) return p.b.subarray(off, off + size);
    if (this.scratch.length < size) this.scratch = new Float32Array(size);
    const out = this.scratch;
    // b is n×k: out[kk][j] = b[j][kk]
    for (let j = 0; j < p.n; j++) {
      const row = off + j * p.k;
      for (let kk = 0; kk < p.k; kk++) out[kk * p.n + j] = p.b[row + kk]!;
    }
    return out;
  }

  run(p: GemmProblem): Float32Array {
    const { m, n, k } = p;
    const count = p.aIndex.length;
    const out = new Float32Array(count * m * n);
    for (let index = 0; index < count; index++) {
      const cOff = index * m * n;
      const aOff = p.aIndex[index]! * m * k;
      const a = p.a;
      const aAt = p.transposeA
        ? (i: number, kk: number) => a[aOff + kk * m + i]!
        : (i: number, kk: number) => a[aOff + i * k + kk]!;
      const bk = this.bMatrix(p, p.bIndex[index]!);
      if (p.bias !== null) {
        for (let i = 0; i < m; i++) out.set(p.bias.subarray(0, n), cOff + i * n);
      }
      let i = 0;
      for (; i + 4 <= m; i += 4) fourRows(out, cOff, bk, n, k, aAt, i);
      for (; i < m; i++) oneRow(out, cOff, bk, n, k, aAt, i);
    }
    applyActivationInPlace(out, {
      n,
      activation: p.activation,
      leakyreluAlpha: p.leakyreluAlpha,
      preluWeights: p.preluWeights,
    });
    return out;
  }
}
