import { describe, expect, it } from 'vitest';
import {
  createResidentMemory,
  RESIDENT_STATIC_BYTES,
  ResidentKernels,
  residentKernelsAvailable,
} from './resident-kernels.js';

// Adam's update from one copy of the training state to another (adamMoved), against the
// formula in float64 and against the in-place kernel (adamSlots).
describe.runIf(residentKernelsAvailable())('resident kernels: adamMoved', () => {
  const n = 37; // nine groups of four and one left over
  const floats = 16 * 64;
  const base = RESIDENT_STATIC_BYTES + 4096;
  // Arrays of 64 floats each, 256 bytes apart: p, g, m, v, vhat (in), then the out copies.
  const at = (i: number) => base + i * 256;
  const [P, G, M, V, H, P2, M2, V2, H2] = [
    at(0),
    at(1),
    at(2),
    at(3),
    at(4),
    at(5),
    at(6),
    at(7),
    at(8),
  ];
  const [alpha, c1, c2, eps] = [0.01, 0.1, 0.001, 1e-7];

  function setup(amsgrad: boolean) {
    const memory = createResidentMemory(base + floats * 4);
    const k = new ResidentKernels(memory, RESIDENT_STATIC_BYTES);
    const f = k.f32;
    for (let i = 0; i < n; i++) {
      f[P / 4 + i] = Math.sin(i + 1);
      f[G / 4 + i] = Math.cos(3 * i) * 0.5;
      f[M / 4 + i] = 0.01 * i;
      f[V / 4 + i] = 0.001 * (i + 1);
      if (amsgrad) f[H / 4 + i] = 0.002 * (n - i);
    }
    return { k, f };
  }

  it.each([false, true])(
    'writes the update to the out copy and leaves the in copy as it was (amsgrad %s)',
    (amsgrad) => {
      const { k, f } = setup(amsgrad);
      const before = Float32Array.from(f.subarray(P / 4, H / 4 + 64));
      // biome-ignore format: the kernel's argument list
      k.raw.adamMoved(P, P2, G, M, M2, V, V2, amsgrad ? H : 0, amsgrad ? H2 : 0, n, alpha, c1, c2, eps, 0);
      expect(Array.from(f.subarray(P / 4, H / 4 + 64))).toEqual(Array.from(before));
      for (let i = 0; i < n; i++) {
        const g = before[G / 4 - P / 4 + i]!;
        const m = before[M / 4 - P / 4 + i]! + (g - before[M / 4 - P / 4 + i]!) * c1;
        const v = before[V / 4 - P / 4 + i]! + (g * g - before[V / 4 - P / 4 + i]!) * c2;
        const vmax = amsgrad ? Math.max(before[H / 4 - P / 4 + i]!, v) : v;
        const w = before[i]! - (m * alpha) / (Math.sqrt(vmax) + eps);
        expect(f[M2 / 4 + i]).toBeCloseTo(m, 6);
        expect(f[V2 / 4 + i]).toBeCloseTo(v, 6);
        expect(f[P2 / 4 + i]).toBeCloseTo(w, 5);
        if (amsgrad) expect(f[H2 / 4 + i]).toBeCloseTo(vmax, 6);
      }
      // Nothing past the n-th element of an out array is written.
      expect(f[P2 / 4 + n]).toBe(0);
      expect(f[M2 / 4 + n]).toBe(0);
    },
  );

  it('gives the same bits as the in-place kernel', () => {
    const { k, f } = setup(false);
    // biome-ignore format: the kernel's argument list
    k.raw.adamMoved(P, P2, G, M, M2, V, V2, 0, 0, n, alpha, c1, c2, eps, 0.001);
    k.raw.adamSlots(P, G, 0, 1, M, V, 0, n, alpha, c1, c2, eps, 0.001);
    expect(Array.from(f.subarray(P2 / 4, P2 / 4 + n))).toEqual(
      Array.from(f.subarray(P / 4, P / 4 + n)),
    );
    expect(Array.from(f.subarray(M2 / 4, M2 / 4 + n))).toEqual(
      Array.from(f.subarray(M / 4, M / 4 + n)),
    );
    expect(Array.from(f.subarray(V2 / 4, V2 / 4 + n))).toEqual(
      Array.from(f.subarray(V / 4, V / 4 + n)),
    );
  });
});

// touchLines: one zero byte at the start of each cache line wholly inside the range.
describe.runIf(residentKernelsAvailable())('resident kernels: touchLines', () => {
  const base = RESIDENT_STATIC_BYTES + 4096; // 64-byte aligned
  const bytes = 1024;

  function filled() {
    const memory = createResidentMemory(base + bytes + 4096);
    const k = new ResidentKernels(memory, RESIDENT_STATIC_BYTES);
    const u8 = new Uint8Array(memory.buffer, base, bytes);
    u8.fill(0xab);
    return { k, u8 };
  }

  /** Offsets (from base) of the bytes that are no longer 0xab. */
  const changed = (u8: Uint8Array) => [...u8.keys()].filter((i) => u8[i] !== 0xab);

  it('zeroes the first byte of every line of an aligned range and nothing else', () => {
    const { k, u8 } = filled();
    k.raw.touchLines(base + 128, 256);
    expect(changed(u8)).toEqual([128, 192, 256, 320]);
  });

  it('leaves alone a line the range shares with the bytes either side', () => {
    const { k, u8 } = filled();
    // [base + 100, base + 420): the lines at 64 and 384 are only partly inside.
    k.raw.touchLines(base + 100, 320);
    expect(changed(u8)).toEqual([128, 192, 256, 320]);
  });

  it('touches nothing in a range shorter than a line or empty', () => {
    const { k, u8 } = filled();
    k.raw.touchLines(base + 10, 60);
    k.raw.touchLines(base + 256, 0);
    expect(changed(u8)).toEqual([]);
  });
});

// floorMoments: values under 1e-25 in magnitude set to 0 in place, nothing else changed.
describe.runIf(residentKernelsAvailable())('resident kernels: floorMoments', () => {
  const base = RESIDENT_STATIC_BYTES + 4096;
  // Subnormal, tiny, at and around the floor, ordinary, and the special values.
  // biome-ignore format: the cases, two lines of them
  const values = [
    1e-40, -1e-40, 1e-38, -3e-27, 9.9e-26, -9.9e-26, 1e-25, -1e-25, 1.01e-25, -2e-25, 1e-20, 0.5,
    -7, 0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3e-30,
  ];

  function run(n: number) {
    const memory = createResidentMemory(base + 4096);
    const k = new ResidentKernels(memory, RESIDENT_STATIC_BYTES);
    const f = new Float32Array(memory.buffer, base, 32);
    f.fill(1e-30); // the floats after the n given ones: never touched
    f.set(values);
    const before = Float32Array.from(f);
    k.raw.floorMoments(base, n);
    return { f, before };
  }

  it('sets every value under the floor to 0 and keeps the others, in groups of four and one by one', () => {
    // 19 values: four groups of four, then three one at a time.
    const { f, before } = run(values.length);
    for (let i = 0; i < values.length; i++) {
      const x = before[i]!;
      // The floor as float32: 1e-25 rounds to 1.0000000180025095e-25.
      const expected = Math.abs(x) < Math.fround(1e-25) ? 0 : x;
      expect(Object.is(f[i], expected) || (x === 0 && f[i] === 0)).toBe(true);
    }
    expect([...f.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    expect(f[6]).toBe(Math.fround(1e-25));
    expect(Number.isNaN(f[15])).toBe(true);
    expect(f[16]).toBe(Number.POSITIVE_INFINITY);
    // Past n, the 1e-30s are left as they were.
    for (let i = values.length; i < 32; i++) expect(f[i]).toBe(Math.fround(1e-30));
  });

  it('touches nothing when n is 0, and only the first n values otherwise', () => {
    expect(run(0).f[0]).toBe(Math.fround(1e-40));
    const { f } = run(2);
    expect([f[0], f[1], f[2]]).toEqual([0, 0, Math.fround(1e-38)]);
  });
});

// adamMovedRows and floorMomentsRows: adamMoved and floorMoments over a block of columns of
// a kernel (weights' rows `ld` floats apart; the moments' `ldm` and the gradient's `ldg`,
// each the whole kernel's, the block's own compact, or padded), against the whole-array
// kernel on the same values, bit for bit. Every array is a region of `rows` rows of `ld`
// floats with guards either side; the out copies are filled with a NaN sentinel first, so
// a kernel that ignored a stride, or took one for another, would write outside the block
// or compute from the wrong elements.
describe.runIf(residentKernelsAvailable())('resident kernels: row blocks of Adam', () => {
  const [rows, ld] = [5, 42];
  const GUARD = 8;
  const span = rows * ld + 2 * GUARD; // floats of one region
  const SENTINEL = 0x7fa00bad; // a NaN no arithmetic here produces, as its bits
  // 16-column blocks, a quad, a tail of two, and a block starting off a multiple of four.
  const blocks: [number, number][] = [
    [0, 16],
    [16, 40],
    [40, 42],
    [5, 18],
  ];
  const [alpha, c1, c2, eps] = [0.01, 0.1, 0.001, 1e-7];
  // Regions: p, g (the whole kernel's), m, v, vhat in; their out copies; the reference's
  // out copies; a block's own gradient, m, v and vhat (rows `ldg` or `ldm` apart).
  // biome-ignore format: the names
  const names = ['P', 'G', 'M', 'V', 'H', 'P2', 'M2', 'V2', 'H2', 'RP', 'RM', 'RV', 'RH', 'GC', 'MC', 'VC', 'HC'] as const;
  type Name = (typeof names)[number];
  const base = RESIDENT_STATIC_BYTES + 4096;
  const R = {} as Record<Name, number>;
  names.forEach((n, i) => {
    R[n] = base + i * 4 * span;
  });
  /** Byte offset of row r, column c of a region's rows (`ldr` floats apart). */
  const at = (name: Name, r = 0, c = 0, ldr = ld) => R[name] + (GUARD + r * ldr + c) * 4;

  function setup() {
    const memory = createResidentMemory(base + names.length * 4 * span);
    const k = new ResidentKernels(memory, RESIDENT_STATIC_BYTES);
    for (let i = 0; i < span; i++) {
      k.f32[R.P / 4 + i] = Math.sin(i + 1);
      k.f32[R.G / 4 + i] = Math.cos(3 * i) * 0.5;
      k.f32[R.M / 4 + i] = 0.01 * Math.sin(7 * i);
      k.f32[R.V / 4 + i] = 0.001 * (1 + Math.cos(i));
      k.f32[R.H / 4 + i] = 0.001 * (1 + Math.sin(5 * i)); // above v for some, below for others
      // A block's own moments: other values, where its rows do not overwrite them.
      k.f32[R.MC / 4 + i] = 0.02 * Math.cos(11 * i);
      k.f32[R.VC / 4 + i] = 0.003 * (1 + Math.sin(2 * i));
      k.f32[R.HC / 4 + i] = 0.003 * (1 + Math.cos(3 * i));
    }
    return k;
  }

  const bits = (k: ResidentKernels, name: Name) => k.i32.slice(R[name] / 4, R[name] / 4 + span);

  /** The floats of a region whose bits differ from `want` (at most five). */
  function mismatches(k: ResidentKernels, name: Name, want: Int32Array): number[] {
    const got = bits(k, name);
    return [...want.keys()].filter((i) => got[i] !== want[i]).slice(0, 5);
  }

  /**
   * `fill`'s bits with rows [0, n) of `ref`'s columns [c0, end) copied over them, at rows
   * `ldOut` floats apart from column `first`.
   */
  function expected(
    k: ResidentKernels,
    fill: Int32Array,
    ref: Name,
    n: number,
    [c0, end]: [number, number],
    [ldOut, first] = [ld, c0],
  ) {
    const want = fill.slice();
    for (let r = 0; r < n; r++) {
      want.set(k.i32.subarray(at(ref, r, c0) / 4, at(ref, r, end) / 4), GUARD + r * ldOut + first);
    }
    return want;
  }

  /** Rows [0, rows) of `src`'s columns [c0, end) copied to `dst`'s rows `ldr` apart. */
  function copyBlock(k: ResidentKernels, src: Name, dst: Name, [c0, end]: number[], ldr: number) {
    for (let r = 0; r < rows; r++)
      k.f32.copyWithin(at(dst, r, 0, ldr) / 4, at(src, r, c0) / 4, at(src, r, end) / 4);
  }

  it.each([
    [false, 0],
    [false, 0.001],
    [true, 0],
    [true, 0.001],
  ])(
    "adamMovedRows: adamMoved's bits in the block, nothing else written (amsgrad %s, decay %s)",
    (amsgrad, decay) => {
      const sentinels = new Int32Array(span).fill(SENTINEL);
      for (const block of blocks) {
        const [c0, end] = block;
        const cols = end - c0;
        // The moments and the gradient laid out as the weights (rows ld apart), or as the
        // block's own (compact, or the moments padded to cols + 3) while the weights stay
        // strided.
        // biome-ignore format: the layouts
        const layouts = [[ld, ld], [ld, cols], [cols, ld], [cols, cols], [cols + 3, cols], [cols + 3, ld]];
        for (const [ldm, ldg] of layouts as [number, number][]) {
          const label = `[${c0}, ${end}), ldm ${ldm}, ldg ${ldg}`;
          const k = setup();
          const hat = (name: Name, c = 0, ldr = ld) => (amsgrad ? at(name, 0, c, ldr) : 0);
          // biome-ignore format: the kernel's argument list
          k.raw.adamMoved(at('P'), at('RP'), at('G'), at('M'), at('RM'), at('V'), at('RV'), hat('H'), hat('RH'), rows * ld, alpha, c1, c2, eps, decay);
          const g = ldg === ld ? at('G', 0, c0) : at('GC');
          if (ldg !== ld) copyBlock(k, 'G', 'GC', block, ldg);
          // The moments in their own regions from column 0 unless laid out as the weights.
          const own = ldm !== ld;
          const first = own ? 0 : c0;
          const [m, v, h] = own ? (['MC', 'VC', 'HC'] as const) : (['M', 'V', 'H'] as const);
          if (own) {
            copyBlock(k, 'M', m, block, ldm);
            copyBlock(k, 'V', v, block, ldm);
            copyBlock(k, 'H', h, block, ldm);
          }
          const ins = (['P', 'G', 'M', 'V', 'H', 'GC', 'MC', 'VC', 'HC'] as const).map(
            (n) => [n, bits(k, n)] as const,
          );
          for (const out of ['P2', 'M2', 'V2', 'H2'] as const) k.i32.set(sentinels, R[out] / 4);
          // biome-ignore format: the kernel's argument list
          k.raw.adamMovedRows(at('P', 0, c0), at('P2', 0, c0), g, at(m, 0, first, ldm), at('M2', 0, first, ldm), at(v, 0, first, ldm), at('V2', 0, first, ldm), hat(h, first, ldm), hat('H2', first, ldm), rows, cols, ld, ldm, ldg, alpha, c1, c2, eps, decay);
          expect(
            mismatches(k, 'P2', expected(k, sentinels, 'RP', rows, block)),
            `P2 ${label}`,
          ).toEqual([]);
          for (const [out, ref] of [
            ['M2', 'RM'],
            ['V2', 'RV'],
            ['H2', 'RH'],
          ] as const) {
            const want =
              out !== 'H2' || amsgrad
                ? expected(k, sentinels, ref, rows, block, [ldm, first])
                : sentinels;
            expect(mismatches(k, out, want), `${out} ${label}`).toEqual([]);
          }
          for (const [name, before] of ins) {
            expect(mismatches(k, name, before), `${name} ${label}`).toEqual([]);
          }
        }
      }
    },
  );

  it("floorMomentsRows: floorMoments's bits in the block, nothing else written", () => {
    const k = setup();
    // Around the floor (1e-25), subnormal, ordinary and special values, repeating every 11
    // floats; the guards and the other columns hold them too, and floored they would change.
    // biome-ignore format: the values
    const values = [1e-40, -3e-27, 9.9e-26, 1e-25, -1.01e-25, 0.5, -0, Number.NaN, -1e-30, Number.POSITIVE_INFINITY, -2e-26];
    for (let i = 0; i < span; i++) k.f32[R.M / 4 + i] = values[i % values.length]!;
    const before = bits(k, 'M');
    k.i32.set(before, R.RM / 4);
    k.raw.floorMoments(at('RM'), rows * ld);
    // The blocks over every row, then none of the rows and none of the columns.
    const cases = [...blocks.map(([c0, end]) => [c0, end, rows]), [3, 30, 0], [3, 3, rows]];
    for (const [c0, end, n] of cases as [number, number, number][]) {
      k.i32.set(before, R.M / 4);
      k.raw.floorMomentsRows(at('M', 0, c0), n, end - c0, ld);
      const want = expected(k, before, 'RM', n, [c0, end]);
      expect(mismatches(k, 'M', want), `[${c0}, ${end}) of ${n} rows`).toEqual([]);
    }
  });
});
