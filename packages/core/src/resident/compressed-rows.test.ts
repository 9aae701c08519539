import { describe, expect, it } from 'vitest';
import {
  compressedBytes,
  compressedShape,
  countNonzeros,
  writeCompressedRows,
} from './compressed-rows.js';

/** A deterministic pseudo-random byte matrix with about `density` nonzero bytes. */
function sparseBytes(length: number, density: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    if (s / 2 ** 32 < density) out[i] = 1 + (s % 255);
  }
  return out;
}

function naiveCount(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) n++;
  return n;
}

describe('countNonzeros', () => {
  it('counts bytes four at a time as one at a time, at any offset and length', () => {
    const bytes = sparseBytes(4099, 0.3);
    // Every combination of a misaligned start and a length that is not whole words.
    for (const start of [0, 1, 2, 3, 5]) {
      for (const end of [start, start + 1, start + 3, 4000, 4097, 4099]) {
        const view = bytes.subarray(start, end);
        expect(countNonzeros(view)).toBe(naiveCount(view));
      }
    }
  });

  it('counts words with each pattern of zero bytes', () => {
    // All 16 patterns of zero / nonzero bytes in a word, with nonzero values 1, 0x80 and 0xff.
    for (const v of [1, 0x80, 0xff]) {
      const bytes = new Uint8Array(64);
      for (let pattern = 0; pattern < 16; pattern++) {
        for (let b = 0; b < 4; b++) bytes[pattern * 4 + b] = pattern & (1 << b) ? v : 0;
      }
      expect(countNonzeros(bytes)).toBe(naiveCount(bytes));
      expect(countNonzeros(bytes)).toBe(32);
    }
    expect(countNonzeros(new Uint8Array(40))).toBe(0);
    expect(countNonzeros(new Uint8Array(41).fill(9))).toBe(41);
  });

  it('counts float32 values: -0 is zero, NaN is not', () => {
    expect(countNonzeros(Float32Array.of(0, -0, 1.5, Number.NaN, -2, 0))).toBe(3);
  });
});

describe('compressed rows', () => {
  it('hold each row’s nonzeros in column order, rows that are all zero included', () => {
    const featureSize = 12;
    const bytes = sparseBytes(featureSize * 9, 0.25, 3);
    bytes.fill(0, featureSize * 4, featureSize * 5); // row 4: all zero
    const shape = compressedShape(bytes, featureSize);
    expect(shape).toMatchObject({ rows: 9, features: 12, idx16: true, valU8: true });
    expect(shape.nonzeros).toBe(naiveCount(bytes));
    const sizes = compressedBytes(shape);
    const target = {
      rowPtr: new Int32Array(sizes.rowPtr / 4),
      index: new Uint16Array(shape.nonzeros),
      value: new Uint8Array(shape.nonzeros),
    };
    writeCompressedRows(bytes, featureSize, target);
    expect(target.rowPtr[4]).toBe(target.rowPtr[5]);
    const dense = new Uint8Array(bytes.length);
    for (let r = 0; r < shape.rows; r++) {
      for (let p = target.rowPtr[r]!; p < target.rowPtr[r + 1]!; p++) {
        if (p > target.rowPtr[r]!) expect(target.index[p]!).toBeGreaterThan(target.index[p - 1]!);
        dense[r * featureSize + target.index[p]!] = target.value[p]!;
      }
    }
    expect(dense).toEqual(bytes);
    expect(target.rowPtr[shape.rows]).toBe(shape.nonzeros);
  });
});
