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
