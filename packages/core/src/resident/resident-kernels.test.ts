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
