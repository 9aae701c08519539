import { afterAll, describe, expect, it } from 'vitest';
import { RngStream } from '../rng.js';
import { sameBits } from '../testing/kernel-compare.js';
import { useKernels } from './register.js';
import { type AdamStepArgs, adamStep, adamStepJs, adamStepWasm } from './update-kernels.js';
import { detectWasmFeatures } from './wasm-module.js';

const rng = RngStream.fromSeed(77, 'update-kernels');
const simd = detectWasmFeatures().simd;

afterAll(() => {
  useKernels('auto');
});

interface State {
  params: Float32Array;
  grads: Float32Array;
  m: Float32Array;
  v: Float32Array;
  vhat: Float32Array;
}

function state(n: number): State {
  const grads = rng.fillNormal(new Float32Array(n));
  // Specials: zero, huge, tiny and NaN gradients.
  if (n > 10) grads.set([0, 1e30, -1e-30, Number.NaN], 3);
  return {
    params: rng.fillNormal(new Float32Array(n)),
    grads,
    m: rng.fillNormal(new Float32Array(n)).map((x) => 0.1 * x),
    v: rng.fillUniform(new Float32Array(n), 0, 0.01),
    vhat: rng.fillUniform(new Float32Array(n), 0, 0.02),
  };
}

function copy(s: State): State {
  return {
    params: s.params.slice(),
    grads: s.grads.slice(),
    m: s.m.slice(),
    v: s.v.slice(),
    vhat: s.vhat.slice(),
  };
}

function args(
  s: State,
  o: { amsgrad: boolean; decay: number; start: number; end: number },
): AdamStepArgs {
  return {
    params: s.params,
    grads: s.grads,
    m: s.m,
    v: s.v,
    vhat: o.amsgrad ? s.vhat : null,
    start: o.start,
    end: o.end,
    alpha: 0.0031622776601683794,
    oneMinusBeta1: 0.09999999999999998,
    oneMinusBeta2: 0.0010000000000000009,
    epsilon: 1e-7,
    decay: o.decay,
  };
}

function expectSameState(a: State, b: State): void {
  for (const key of ['params', 'm', 'v', 'vhat'] as const) {
    expect(sameBits(a[key], b[key]), key).toBe(-1);
  }
}

describe('adamStep', () => {
  const variants = [
    { amsgrad: false, decay: 0 },
    { amsgrad: true, decay: 0 },
    { amsgrad: false, decay: 4e-6 },
    { amsgrad: true, decay: 4e-6 },
  ];
  it.skipIf(!simd).each(variants)(
    "WebAssembly gives the JavaScript loop's bits (amsgrad $amsgrad, decay $decay)",
    (variant) => {
      // Lengths around the chunk size, odd ends and an offset start.
      for (const [n, start, end] of [
        [101770, 0, 101770],
        [9001, 17, 8999],
        [3, 0, 3],
        [1, 0, 1],
        [5, 2, 2],
      ] as const) {
        const a = state(n);
        const b = copy(a);
        adamStepJs(args(a, { ...variant, start, end }));
        adamStepWasm(args(b, { ...variant, start, end }));
        expectSameState(a, b);
      }
    },
  );

  it.skipIf(!simd)('updating [0, k) then [k, n) is bitwise updating [0, n)', () => {
    const whole = state(20000);
    const parts = copy(whole);
    adamStepWasm(args(whole, { amsgrad: true, decay: 1e-5, start: 0, end: 20000 }));
    adamStepWasm(args(parts, { amsgrad: true, decay: 1e-5, start: 0, end: 7777 }));
    adamStepWasm(args(parts, { amsgrad: true, decay: 1e-5, start: 7777, end: 20000 }));
    expectSameState(whole, parts);
  });

  it('matches the float64 formula written out, and leaves elements outside the range alone', () => {
    const s = state(8);
    const before = copy(s);
    adamStep(args(s, { amsgrad: false, decay: 0, start: 1, end: 7 }));
    for (let i = 0; i < 8; i++) {
      if (i === 0 || i === 7) {
        expect(s.params[i]).toBe(before.params[i]);
        expect(s.m[i]).toBe(before.m[i]);
        continue;
      }
      const g = before.grads[i]!;
      const m = 0.9 * before.m[i]! + 0.1 * g;
      const v = 0.999 * before.v[i]! + 0.001 * g * g;
      const w = before.params[i]! - (0.0031622776601683794 * m) / (Math.sqrt(v) + 1e-7);
      expect(s.m[i]).toBeCloseTo(m, 6);
      expect(s.v[i]).toBeCloseTo(v, 9);
      expect(s.params[i]).toBeCloseTo(w, 6);
    }
  });

  it('runs the JavaScript loop with TESSERA_KERNELS=js, the same bits', () => {
    const a = state(5000);
    const b = copy(a);
    adamStep(args(a, { amsgrad: false, decay: 0, start: 0, end: 5000 }));
    useKernels('js');
    try {
      adamStep(args(b, { amsgrad: false, decay: 0, start: 0, end: 5000 }));
    } finally {
      useKernels('auto');
    }
    expectSameState(a, b);
  });
});
