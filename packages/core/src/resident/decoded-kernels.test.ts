import { describe, expect, it } from 'vitest';
import {
  ActivationCode,
  createResidentMemory,
  RESIDENT_STATIC_BYTES,
  ResidentKernels,
  residentKernelsAvailable,
} from './resident-kernels.js';

// decodeRows, csrDenseDecoded and csrDenseWeightGradDecoded: a shard's compressed rows
// decoded once into (W row offset, value) pairs, then the first Dense layer's forward pass
// and weight gradient over the pairs. Every result goes into a region filled with a NaN
// sentinel, with guards either side, and is compared bit for bit: the pairs with the rows
// as written, the outputs with csrDense's and csrDenseWeightGrad's over the same memory.
// Both kernels' results are also checked against float64 sums over the dense rows.
// The rows hold 0 to 40 nonzeros (every tail of the eight-at-a-time decoding), three of
// them none; there are 20 of them, so touchRows (every eight rows) runs at rows 0, 8 and 16.
describe.runIf(residentKernelsAvailable())('resident kernels: rows decoded once', () => {
  const features = 40;
  const counts = [8, 0, 1, 7, 9, 15, 16, 17, 24, 33, 35, 3, 0, 5, 12, 40, 2, 19, 6, 0];
  const rows = counts.length;
  // The batch visits the rows in another order than they are stored (the first has 7).
  const order = Array.from({ length: rows }, (_, r) => (r * 7 + 3) % rows);
  const nonzeros = counts.reduce((a, b) => a + b, 0);
  const maxUnits = 32;
  /** Sentinel floats either side of a result region. */
  const GUARD = 16;
  /** A NaN no arithmetic here produces, as its bits. */
  const SENTINEL = 0x7fa00bad;
  const { linear: LINEAR, relu: RELU, leaky_relu: LEAKY } = ActivationCode;
  const formats = [
    ['u8 values, u16 columns', true, true],
    ['u8 values, i32 columns', true, false],
    ['f32 values, u16 columns', false, true],
    ['f32 values, i32 columns', false, false],
  ] as const;

  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  /** Compressed rows (row r: counts[r] nonzeros at random columns), W, bias and dZ. */
  function setup(u8: boolean, idx16: boolean, seed: number) {
    const next = rng(seed);
    let at = RESIDENT_STATIC_BYTES;
    const take = (floats: number) => {
      const start = at;
      at += Math.ceil((floats * 4) / 64) * 64;
      return start;
    };
    const o = {
      rowPtr: take(rows + 1),
      index: take(nonzeros + 4),
      value: take(nonzeros + 4),
      constants: take(4),
      examples: take(rows),
      starts: take(rows + 1 + 2 * GUARD),
      pairs: take(2 * nonzeros + 2 * GUARD),
      w: take(features * maxUnits),
      bias: take(maxUnits),
      dz: take(rows * maxUnits),
      dzStrided: take(rows * (maxUnits + 5)),
      ref: take(Math.max(rows, features) * maxUnits),
      out: take(Math.max(rows * (maxUnits + 5), features * maxUnits) + 2 * GUARD),
      decoded: take(features * 2),
      context: take(ResidentKernels.contextBytes() / 4),
    };
    const k = new ResidentKernels(createResidentMemory(at), o.context);
    const buffer = k.memory.buffer;
    const index = idx16 ? new Uint16Array(buffer, o.index, nonzeros) : k.i32.subarray(o.index / 4);
    const value = u8 ? new Uint8Array(buffer, o.value, nonzeros) : k.f32.subarray(o.value / 4);
    const scale = u8 ? Math.fround(1 / 255) : 1;
    const dense = counts.map(() => new Array<number>(features).fill(0));
    let p = 0;
    counts.forEach((count, r) => {
      k.i32[o.rowPtr / 4 + r] = p;
      const columns = Array.from({ length: features }, (_, j) => j);
      for (let i = columns.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [columns[i], columns[j]] = [columns[j]!, columns[i]!];
      }
      for (const c of columns.slice(0, count).sort((a, b) => a - b)) {
        index[p] = c;
        value[p] = u8 ? 1 + Math.floor(next() * 255) : Math.fround(next() * 4 - 2);
        dense[r]![c] = value[p++]!;
      }
    });
    k.i32[o.rowPtr / 4 + rows] = p;
    k.f32[o.constants / 4] = scale;
    k.i32.set(order, o.examples / 4);
    for (const [offset, n] of [
      [o.w, features * maxUnits],
      [o.bias, maxUnits],
      [o.dz, rows * maxUnits],
    ] as const) {
      for (let i = 0; i < n; i++) k.f32[offset / 4 + i] = next() * 2 - 1;
    }
    // The batch's rows: (column, value as the kernels compute it) of each nonzero.
    const batch = order.map((ex) =>
      dense[ex]!.flatMap((v, c) => (v === 0 ? [] : [[c, Math.fround(v * scale)] as const])),
    );
    // The dense rows in batch order, in float64.
    const x = order.map((ex) => dense[ex]!.map((v) => v * scale));
    return { k, o, x, batch, valU8: u8 ? 1 : 0, idx16: idx16 ? 1 : 0 };
  }
  type Setup = ReturnType<typeof setup>;

  /** Decodes the first `count` rows of the batch, into regions filled with the sentinel. */
  function decode(s: Setup, ld: number, count = rows) {
    const { k, o } = s;
    k.i32.fill(SENTINEL, o.starts / 4, o.starts / 4 + rows + 1 + 2 * GUARD);
    k.i32.fill(SENTINEL, o.pairs / 4, o.pairs / 4 + 2 * nonzeros + 2 * GUARD);
    const [starts, pairs] = [o.starts + GUARD * 4, o.pairs + GUARD * 4];
    // biome-ignore format: the kernel's argument list
    k.raw.decodeRows(o.rowPtr, o.index, o.value, s.idx16, s.valU8, o.constants, o.examples, count, ld, starts, pairs);
    return { starts, pairs };
  }

  /** Where a region's bits differ from `want` (at most five), as "float i: got (wanted)". */
  function mismatches(k: ResidentKernels, region: number, want: Int32Array): string[] {
    const bad: string[] = [];
    want.forEach((bits, i) => {
      const got = k.i32[region / 4 + i]!;
      if (got !== bits)
        bad.push(`float ${i - GUARD}: ${got} (${bits === SENTINEL ? 'sentinel' : bits})`);
    });
    return bad.slice(0, 5);
  }

  /** A sentinel-filled region of `floats` plus guards, with `rows` rows of `ref` placed. */
  function placed(
    k: ResidentKernels,
    floats: number,
    ref: number,
    n: number,
    units: number,
    ld: number,
  ) {
    const want = new Int32Array(floats + 2 * GUARD).fill(SENTINEL);
    for (let r = 0; r < n; r++) {
      want.set(k.i32.subarray(ref / 4 + r * units, ref / 4 + (r + 1) * units), GUARD + r * ld);
    }
    return want;
  }

  const f32Bits = (v: number) => new Int32Array(Float32Array.of(v).buffer)[0]!;

  it.each(formats)(
    'decodeRows: the pairs and starts as written, nothing else written (%s)',
    (_name, u8, idx16) => {
      const s = setup(u8, idx16, 13);
      const { k, o } = s;
      // Pair 0's offset is not 0 (the batch's first row's first column is 3).
      expect(s.batch[0]![0]![0]).toBeGreaterThan(0);
      for (const ld of [64, 84, 4, 1000]) {
        // Under eight rows, eight (the sink at starts[8]), nine, and all twenty.
        for (const count of [0, 1, 8, 9, rows]) {
          const label = JSON.stringify({ ld, count });
          decode(s, ld, count);
          const starts = new Int32Array(rows + 1 + 2 * GUARD).fill(SENTINEL);
          const pairs = new Int32Array(2 * nonzeros + 2 * GUARD).fill(SENTINEL);
          let total = 0;
          for (let r = 0; r < count; r++) {
            starts[GUARD + r] = total;
            for (const [c, v] of s.batch[r]!) {
              pairs[GUARD + 2 * total] = c * ld;
              pairs[GUARD + 2 * total + 1] = f32Bits(v);
              total++;
            }
          }
          starts[GUARD + count] = total;
          expect(k.i32[o.starts / 4 + GUARD + count], `starts[count], ${label}`).toBe(total);
          if (count > 8) {
            // touchRows' sink, once in pairs[0]: the first row's first column times ld.
            expect(k.i32[o.pairs / 4 + GUARD], `pair 0, ${label}`).toBe(s.batch[0]![0]![0] * ld);
          }
          expect(mismatches(k, o.starts, starts), `starts, ${label}`).toEqual([]);
          expect(mismatches(k, o.pairs, pairs), `pairs, ${label}`).toEqual([]);
        }
      }
    },
  );

  it.each(formats)(
    "csrDenseDecoded: csrDense's bits, rows ldo apart, nothing else written (%s)",
    (_name, u8, idx16) => {
      const s = setup(u8, idx16, 17);
      const { k, o } = s;
      const f = k.f32;
      for (const units of [16, 12, 21]) {
        const { starts, pairs } = decode(s, units * 4);
        for (const [bias, act] of [
          [true, RELU],
          [true, LINEAR],
          [false, RELU],
          [false, LINEAR],
          [true, LEAKY],
        ] as const) {
          const alpha = act === LEAKY ? 0.2 : 0;
          // biome-ignore format: the kernel's argument list
          k.raw.csrDense(o.rowPtr, o.index, o.value, s.idx16, s.valU8, o.constants, o.examples, rows, o.w, bias ? o.bias : 0, o.ref, units, act, alpha, o.decoded);
          for (const ldo of [units, units + 5]) {
            const label = JSON.stringify({ units, ldo, bias, act });
            const floats = rows * ldo;
            k.i32.fill(SENTINEL, o.out / 4, o.out / 4 + floats + 2 * GUARD);
            const out = o.out + GUARD * 4;
            // biome-ignore format: the kernel's argument list
            k.raw.csrDenseDecoded(starts, pairs, rows, o.w, bias ? o.bias : 0, out, units, ldo, act, alpha);
            const want = placed(k, floats, o.ref, rows, units, ldo);
            expect(mismatches(k, o.out, want), label).toEqual([]);
            for (let r = 0; r < rows; r++) {
              for (let c = 0; c < units; c++) {
                let sum = bias ? f[o.bias / 4 + c]! : 0;
                for (let j = 0; j < features; j++) sum += s.x[r]![j]! * f[o.w / 4 + j * units + c]!;
                const y = sum > 0 ? sum : act === RELU ? 0 : act === LEAKY ? sum * alpha : sum;
                expect(Math.abs(f[out / 4 + r * ldo + c]! - y), label).toBeLessThan(1e-5);
              }
            }
          }
          // A later range of rows alone (rows 9 to 15: starts from the ninth on).
          k.i32.fill(SENTINEL, o.out / 4, o.out / 4 + rows * units + 2 * GUARD);
          // biome-ignore format: the kernel's argument list
          k.raw.csrDenseDecoded(starts + 9 * 4, pairs, 7, o.w, bias ? o.bias : 0, o.out + GUARD * 4, units, units, act, alpha);
          const want = placed(k, rows * units, o.ref + 9 * units * 4, 7, units, units);
          expect(mismatches(k, o.out, want), `rows 9 to 15, units ${units}`).toEqual([]);
        }
      }
    },
  );

  it.each(formats)(
    "csrDenseWeightGradDecoded: csrDenseWeightGrad's bits, dZ rows ldz apart, nothing past dwBytes written (%s)",
    (_name, u8, idx16) => {
      const s = setup(u8, idx16, 29);
      const { k, o } = s;
      const f = k.f32;
      for (const units of [16, 32, 12, 21]) {
        const { starts, pairs } = decode(s, units * 4);
        // biome-ignore format: the kernel's argument list
        k.raw.csrDenseWeightGrad(o.rowPtr, o.index, o.value, s.idx16, s.valU8, o.constants, o.examples, rows, o.dz, units, 0, features, o.ref, o.decoded, 0);
        for (const ldz of [units, units + 3]) {
          const label = JSON.stringify({ units, ldz });
          // dZ's rows ldz apart, the floats between them NaN (read, they would show).
          f.fill(Number.NaN, o.dzStrided / 4, o.dzStrided / 4 + rows * ldz);
          for (let r = 0; r < rows; r++) {
            f.copyWithin(
              o.dzStrided / 4 + r * ldz,
              o.dz / 4 + r * units,
              o.dz / 4 + (r + 1) * units,
            );
          }
          const floats = features * units;
          k.i32.fill(SENTINEL, o.out / 4, o.out / 4 + floats + 2 * GUARD);
          const dw = o.out + GUARD * 4;
          // biome-ignore format: the kernel's argument list
          k.raw.csrDenseWeightGradDecoded(starts, pairs, rows, ldz === units ? o.dz : o.dzStrided, units, ldz, dw, floats * 4);
          const want = placed(k, floats, o.ref, features, units, units);
          expect(mismatches(k, o.out, want), label).toEqual([]);
          for (let j = 0; j < features; j++) {
            for (let c = 0; c < units; c++) {
              let sum = 0;
              for (let r = 0; r < rows; r++) sum += s.x[r]![j]! * f[o.dz / 4 + r * units + c]!;
              expect(Math.abs(f[dw / 4 + j * units + c]! - sum), label).toBeLessThan(1e-5);
            }
          }
        }
      }
    },
  );
});
