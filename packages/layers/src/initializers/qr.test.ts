import { RngStream } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { householderQr } from './qr.js';

function randomMatrix(m: number, n: number, seed: number): Float64Array {
  const s = RngStream.fromSeed(seed);
  return Float64Array.from({ length: m * n }, () => s.normal());
}

/** max |QᵀQ - I|, max |QR - A| and max |R below the diagonal|. */
function errors(
  a: Float64Array,
  m: number,
  n: number,
): { ortho: number; recon: number; lower: number } {
  const { q, r } = householderQr(a, m, n);
  let ortho = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < m; k++) dot += q[k * n + i]! * q[k * n + j]!;
      ortho = Math.max(ortho, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  let recon = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += q[i * n + k]! * r[k * n + j]!;
      recon = Math.max(recon, Math.abs(sum - a[i * n + j]!));
    }
  }
  let lower = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) lower = Math.max(lower, Math.abs(r[i * n + j]!));
  return { ortho, recon, lower };
}

describe('householderQr', () => {
  it.each([
    [7, 4],
    [5, 5],
    [40, 13],
    [6, 1],
  ])('factors a random %i×%i matrix into orthonormal Q times upper-triangular R', (m, n) => {
    const a = randomMatrix(m, n, m * 31 + n);
    const copy = Float64Array.from(a);
    const e = errors(a, m, n);
    expect(e.ortho).toBeLessThan(1e-12);
    expect(e.recon).toBeLessThan(1e-12);
    expect(e.lower).toBe(0);
    expect(a).toEqual(copy); // input untouched
  });

  it('matches a QR worked by hand', () => {
    // A = [[3, 1], [4, 2]]: first column has norm 5, so |R00| = 5, |R11| = |det A| / 5 = 0.4.
    const { q, r } = householderQr(Float64Array.from([3, 1, 4, 2]), 2, 2);
    expect(Math.abs(r[0]!)).toBeCloseTo(5, 12);
    expect(Math.abs(r[3]!)).toBeCloseTo(0.4, 12);
    expect(Math.abs(q[0]!)).toBeCloseTo(0.6, 12);
    expect(Math.abs(q[2]!)).toBeCloseTo(0.8, 12);
  });

  it('handles a zero column without NaN', () => {
    const a = Float64Array.from([1, 0, 2, 0, 2, 0]); // 3×2, second column zero
    const { q, r } = householderQr(a, 3, 2);
    expect([...q, ...r].every(Number.isFinite)).toBe(true);
    const e = errors(a, 3, 2);
    expect(e.recon).toBeLessThan(1e-12);
    expect(e.ortho).toBeLessThan(1e-12);
  });

  it('refuses a wide matrix', () => {
    expect(() => householderQr(new Float64Array(6), 2, 3)).toThrow(RangeError);
  });
});
