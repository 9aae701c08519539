import { describe, expect, it } from 'vitest';
import {
  ActivationCode,
  createResidentMemory,
  RESIDENT_STATIC_BYTES,
  ResidentKernels,
  residentKernelsAvailable,
} from './resident-kernels.js';

// The first Dense layer on compressed rows (csrDense: X·W + b, then the epilogue; and
// csrDenseWeightGrad: rows [from, to) of Xᵀ·dZ), against float64 sums over the dense rows.
// The rows hold 0 to 35 nonzeros, so the kernels' eight-at-a-time decoding meets every
// length of tail; 37 units meet the column blocks' every tail too.
describe.runIf(residentKernelsAvailable())('resident kernels: compressed rows', () => {
  const features = 40;
  const units = 37;
  const counts = [0, 1, 7, 8, 9, 15, 16, 17, 24, 33, 35, 3];
  const rows = counts.length;
  const ACT_LINEAR = ActivationCode.linear;
  const ACT_RELU = ActivationCode.relu;

  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  /** The dense rows: row r has counts[r] nonzeros at random columns. */
  function denseRows(u8: boolean, seed: number): number[][] {
    const next = rng(seed);
    return counts.map((count) => {
      const row = new Array<number>(features).fill(0);
      const columns = Array.from({ length: features }, (_, j) => j);
      for (let i = columns.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [columns[i], columns[j]] = [columns[j]!, columns[i]!];
      }
      for (const c of columns.slice(0, count))
        row[c] = u8 ? 1 + Math.floor(next() * 255) : Math.fround(next() * 4 - 2);
      return row;
    });
  }

  function setup(u8: boolean, seed: number) {
    const dense = denseRows(u8, seed);
    const scale = u8 ? Math.fround(1 / 255) : 1;
    const nonzeros = counts.reduce((a, b) => a + b, 0);
    let at = RESIDENT_STATIC_BYTES;
    const take = (bytes: number) => {
      const start = at;
      at += Math.ceil(bytes / 64) * 64;
      return start;
    };
    const offsets = {
      rowPtr: take((rows + 1) * 4),
      index: take(nonzeros * 2 + 16),
      value: take(nonzeros * (u8 ? 1 : 4) + 16),
      constants: take(16),
      examples: take(rows * 4),
      w: take(features * units * 4),
      bias: take(units * 4),
      out: take(rows * units * 4),
      dz: take(rows * units * 4),
      dw: take(features * units * 4),
      decoded: take(features * 8),
      context: take(ResidentKernels.contextBytes()),
    };
    const k = new ResidentKernels(createResidentMemory(at), offsets.context);
    const buffer = k.memory.buffer;
    const rowPtr = new Int32Array(buffer, offsets.rowPtr, rows + 1);
    const index = new Uint16Array(buffer, offsets.index, nonzeros);
    const value = u8
      ? new Uint8Array(buffer, offsets.value, nonzeros)
      : new Float32Array(buffer, offsets.value, nonzeros);
    let p = 0;
    dense.forEach((row, r) => {
      rowPtr[r] = p;
      row.forEach((v, j) => {
        if (v === 0) return;
        index[p] = j;
        value[p++] = v;
      });
    });
    rowPtr[rows] = p;
    k.f32[offsets.constants / 4] = scale;
    // The batch visits the rows in another order than they are stored.
    const order = Array.from({ length: rows }, (_, r) => (r * 5 + 2) % rows);
    new Int32Array(buffer, offsets.examples, rows).set(order);
    const next = rng(seed + 1);
    const fill = (offset: number, n: number) => {
      for (let i = 0; i < n; i++) k.f32[offset / 4 + i] = next() * 2 - 1;
    };
    fill(offsets.w, features * units);
    fill(offsets.bias, units);
    fill(offsets.dz, rows * units);
    const x = order.map((ex) => dense[ex]!.map((v) => v * scale));
    return { k, offsets, x, u8 };
  }

  function forward(s: ReturnType<typeof setup>, bias: boolean, act: number) {
    const { k, offsets: o } = s;
    // biome-ignore format: the kernel's argument list
    k.raw.csrDense(o.rowPtr, o.index, o.value, 1, s.u8 ? 1 : 0, o.constants, o.examples, rows, o.w, bias ? o.bias : 0, o.out, units, act, 0, o.decoded);
    return Array.from(k.f32.subarray(o.out / 4, o.out / 4 + rows * units));
  }

  it.each([
    ['uint8 values', true],
    ['float32 values', false],
  ])('csrDense: X·W + b, then ReLU, within 1e-5 of float64 (%s)', (_name, u8) => {
    const s = setup(u8, 17);
    const f = s.k.f32;
    const w = (j: number, c: number) => f[s.offsets.w / 4 + j * units + c]!;
    for (const [bias, act] of [
      [true, ACT_LINEAR],
      [true, ACT_RELU],
      [false, ACT_LINEAR],
    ] as const) {
      const out = forward(s, bias, act);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < units; c++) {
          let sum = bias ? f[s.offsets.bias / 4 + c]! : 0;
          for (let j = 0; j < features; j++) sum += s.x[r]![j]! * w(j, c);
          const expected = act === ACT_RELU ? Math.max(0, sum) : sum;
          expect(Math.abs(out[r * units + c]! - expected)).toBeLessThan(1e-5);
        }
      }
    }
  });

  it.each([
    ['uint8 values', true],
    ['float32 values', false],
  ])('csrDenseWeightGrad: rows [from, to) of Xᵀ·dZ, no other byte written (%s)', (_name, u8) => {
    const s = setup(u8, 29);
    const { k, offsets: o } = s;
    const f = k.f32;
    for (const [from, to, readAhead] of [
      [0, features, 0],
      [0, features, 1],
      [0, 1, 0],
      [3, 21, 1],
      [21, features, 0],
      [21, features, 1],
      [features, features, 1],
    ] as const) {
      f.fill(7, o.dw / 4, o.dw / 4 + features * units);
      // biome-ignore format: the kernel's argument list
      k.raw.csrDenseWeightGrad(o.rowPtr, o.index, o.value, 1, u8 ? 1 : 0, o.constants, o.examples, rows, o.dz, units, from, to, o.dw, o.decoded, readAhead);
      for (let j = 0; j < features; j++) {
        for (let c = 0; c < units; c++) {
          const got = f[o.dw / 4 + j * units + c]!;
          if (j < from || j >= to) {
            expect(got).toBe(7);
            continue;
          }
          let sum = 0;
          for (let r = 0; r < rows; r++) sum += s.x[r]![j]! * f[o.dz / 4 + r * units + c]!;
          expect(Math.abs(got - sum)).toBeLessThan(1e-5);
        }
      }
    }
  });
});
