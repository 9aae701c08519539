import { afterAll, describe, expect, it, vi } from 'vitest';
import { ShapeError } from '../errors.js';
import { checkGradients } from '../gradient-check.js';
import { RngStream } from '../rng.js';
import { type Tensor, tf } from '../tf.js';
import type { FusedActivation, GemmProblem } from './gemm-problem.js';
import { compareWithReference, referenceGemm } from './gemm-reference.js';
import { JsGemmEngine } from './js-engine.js';
import { activeKernels, type KernelMode, useKernels } from './register.js';
import { WasmGemmEngine } from './wasm-engine.js';
import { detectWasmFeatures } from './wasm-module.js';

const rng = RngStream.fromSeed(21, 'matmul-kernels');

function random(shape: number[], min = -1, max = 1): { t: Tensor; v: Float32Array } {
  const v = rng.fillUniform(new Float32Array(shape.reduce((x, y) => x * y, 1)), min, max);
  return { t: tf.tensor(v, shape), v };
}

/** A reference problem written out by hand (indices explicit, not planned by the code under test). */
function problem(
  p: Partial<GemmProblem> & Pick<GemmProblem, 'a' | 'b' | 'm' | 'n' | 'k'>,
): GemmProblem {
  return {
    transposeA: false,
    transposeB: false,
    aIndex: Int32Array.from([0]),
    bIndex: Int32Array.from([0]),
    bias: null,
    activation: 'linear',
    leakyreluAlpha: 0.2,
    preluWeights: null,
    ...p,
  };
}

function expectReference(actual: Tensor, expected: GemmProblem, label: string): void {
  const comparison = compareWithReference(actual.dataSync(), referenceGemm(expected));
  expect(comparison.first, label).toBeUndefined();
}

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j]!;
  return out;
}

const TRANSPOSES: Array<[boolean, boolean]> = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

const modes: Array<[KernelMode, boolean]> = [
  ['wasm', detectWasmFeatures().simd],
  ['js', true],
];

afterAll(() => {
  useKernels('auto');
});

describe.each(modes)('tf kernels with TESSERA_KERNELS=%s', (mode, available) => {
  it.skipIf(!available)('registers as the cpu BatchMatMul and _FusedMatMul', () => {
    useKernels(mode);
    // What tfjs dispatches: count the runs of each GEMM engine behind tf's two matMul ops.
    const wasm = vi.spyOn(WasmGemmEngine.prototype, 'run');
    const js = vi.spyOn(JsGemmEngine.prototype, 'run');
    tf.tidy(() => {
      const a = random([4, 3]).t;
      const b = random([3, 2]).t;
      tf.matMul(a, b).dataSync();
      tf.fused.matMul({ a, b, bias: tf.zeros([2]), activation: 'relu' }).dataSync();
    });
    const calls = { wasm: wasm.mock.calls.length, js: js.mock.calls.length };
    vi.restoreAllMocks();
    expect(calls).toEqual(mode === 'js' ? { wasm: 0, js: 2 } : { wasm: 2, js: 0 });
    expect(activeKernels().kind).toBe(
      mode === 'js' ? 'js' : detectWasmFeatures().relaxedSimd ? 'wasm-relaxed' : 'wasm-simd',
    );
  });

  it.skipIf(!available)(
    'tf.matMul matches float64 for every transpose, at the reference shapes too',
    () => {
      useKernels(mode);
      const shapes: Array<[number, number, number]> = [
        [128, 128, 784],
        [64, 10, 128],
        [7, 5, 3],
        [1, 1, 1],
      ];
      for (const [m, n, k] of shapes) {
        for (const [ta, tb] of TRANSPOSES) {
          tf.tidy(() => {
            const a = random(ta ? [k, m] : [m, k]);
            const b = random(tb ? [n, k] : [k, n]);
            const c = tf.matMul(a.t, b.t, ta, tb);
            expect(c.shape).toEqual([m, n]);
            expectReference(
              c,
              problem({ a: a.v, b: b.v, m, n, k, transposeA: ta, transposeB: tb }),
              `${m}x${n}x${k} ${ta} ${tb}`,
            );
          });
        }
      }
    },
  );

  it.skipIf(!available)('batches rank-3 and rank-4 operands with broadcasting', () => {
    useKernels(mode);
    tf.tidy(() => {
      const a = random([3, 5, 6]);
      const b = random([6, 4]);
      const c = tf.matMul(a.t, b.t);
      expect(c.shape).toEqual([3, 5, 4]);
      expectReference(
        c,
        problem({
          a: a.v,
          b: b.v,
          m: 5,
          n: 4,
          k: 6,
          aIndex: Int32Array.from([0, 1, 2]),
          bIndex: Int32Array.from([0, 0, 0]),
        }),
        'rank3 x rank2',
      );

      const a4 = random([2, 1, 4, 3]);
      const b4 = random([1, 3, 5, 3]);
      const c4 = tf.matMul(a4.t, b4.t, false, true);
      expect(c4.shape).toEqual([2, 3, 4, 5]);
      const p = problem({
        a: a4.v,
        b: b4.v,
        m: 4,
        n: 5,
        k: 3,
        transposeB: true,
        aIndex: Int32Array.from([0, 0, 0, 1, 1, 1]),
        bIndex: Int32Array.from([0, 1, 2, 0, 1, 2]),
      });
      expectReference(c4, p, 'rank4 broadcast');
    });
  });

  it.skipIf(!available)('tf.fused.matMul adds the bias and applies every activation', () => {
    useKernels(mode);
    const activations: FusedActivation[] = [
      'linear',
      'relu',
      'relu6',
      'leakyrelu',
      'prelu',
      'elu',
      'sigmoid',
    ];
    for (const activation of activations) {
      for (const [ta, tb] of TRANSPOSES) {
        tf.tidy(() => {
          const [m, n, k] = [9, 11, 13];
          const a = random(ta ? [k, m] : [m, k], -2, 2);
          const b = random(tb ? [n, k] : [k, n], -2, 2);
          const bias = random([n], -3, 3);
          const prelu = random([n], -1, 1);
          const c = tf.fused.matMul({
            a: a.t,
            b: b.t,
            transposeA: ta,
            transposeB: tb,
            bias: bias.t,
            activation,
            leakyreluAlpha: 0.15,
            ...(activation === 'prelu' ? { preluActivationWeights: prelu.t } : {}),
          });
          const p = problem({
            ...{
              a: a.v,
              b: b.v,
              m,
              n,
              k,
              transposeA: ta,
              transposeB: tb,
              bias: bias.v,
              activation,
            },
            leakyreluAlpha: 0.15,
            preluWeights: activation === 'prelu' ? prelu.v : null,
          });
          expectReference(c, p, `${activation} ${ta} ${tb}`);
        });
      }
    }
  });

  it.skipIf(!available)('gradients through tf.matMul match the float64 formulas', () => {
    useKernels(mode);
    const [m, n, k] = [6, 10, 9];
    for (const [ta, tb] of TRANSPOSES) {
      tf.tidy(() => {
        const a = random(ta ? [k, m] : [m, k]);
        const b = random(tb ? [n, k] : [k, n]);
        const w = random([m, n]);
        const [da, db] = tf.grads((x: Tensor, y: Tensor) =>
          tf.sum(tf.mul(tf.matMul(x, y, ta, tb), w.t)),
        )([a.t, b.t]);
        // d op(A) = W · op(B)ᵀ (m×k), d op(B) = op(A)ᵀ · W (k×n).
        const dOpA = referenceGemm(
          problem({ a: w.v, b: b.v, m, n: k, k: n, transposeB: !tb }),
        ).values;
        const dOpB = referenceGemm(
          problem({ a: a.v, b: w.v, m: k, n, k: m, transposeA: !ta }),
        ).values;
        const wantA = ta ? transpose(Float32Array.from(dOpA), m, k) : Float32Array.from(dOpA);
        const wantB = tb ? transpose(Float32Array.from(dOpB), k, n) : Float32Array.from(dOpB);
        const gotA = da!.dataSync();
        const gotB = db!.dataSync();
        for (let i = 0; i < wantA.length; i++) expect(gotA[i]).toBeCloseTo(wantA[i]!, 4);
        for (let i = 0; i < wantB.length; i++) expect(gotB[i]).toBeCloseTo(wantB[i]!, 4);
      });
    }
  });

  it.skipIf(!available)('gradients through the fused kernel pass a finite-difference check', () => {
    useKernels(mode);
    const a = random([4, 5]);
    const b = random([3, 5]);
    const bias = random([3]);
    const w = random([4, 3]);
    const f = (x: Tensor, y: Tensor, z: Tensor) =>
      tf.mul(tf.fused.matMul({ a: x, b: y, transposeB: true, bias: z }), w.t);
    const report = checkGradients(f, [a.t, b.t, bias.t], { epsilon: 1e-2, rtol: 1e-2, atol: 1e-3 });
    expect(report.worst).toBeUndefined();
    expect(report.ok).toBe(true);
    tf.dispose([a.t, b.t, bias.t, w.t]);
  });

  it.skipIf(!available)('leaves the inputs unchanged and leaks no tensors', () => {
    useKernels(mode);
    const a = random([17, 9]);
    const b = random([9, 7]);
    const bias = random([7]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        tf.matMul(a.t, b.t);
        tf.fused.matMul({ a: a.t, b: b.t, bias: bias.t, activation: 'relu' });
        tf.grads((x: Tensor) => tf.sum(tf.matMul(x, b.t)))([a.t]);
      });
    }
    const c = tf.matMul(a.t, b.t);
    c.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(a.t.dataSync())).toEqual(Array.from(a.v));
    expect(Array.from(b.t.dataSync())).toEqual(Array.from(b.v));
    tf.dispose([a.t, b.t, bias.t]);
  });

  it.skipIf(!available)(
    'leaves what it does not cover to tfjs: int32, per-row bias, per-element PReLU',
    () => {
      useKernels(mode);
      tf.tidy(() => {
        const ints = tf.matMul(
          tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'),
          tf.tensor2d([5, 6, 7, 8], [2, 2], 'int32'),
        );
        expect(ints.dtype).toBe('int32');
        expect(Array.from(ints.dataSync())).toEqual([19, 22, 43, 50]);
        const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
        const eye = tf.tensor2d([1, 0, 0, 1], [2, 2]);
        const rowBias = tf.fused.matMul({ a, b: eye, bias: tf.tensor2d([10, 20], [2, 1]) });
        expect(Array.from(rowBias.dataSync())).toEqual([11, 12, 23, 24]);
        const neg = tf.neg(a);
        const prelu = tf.fused.matMul({
          a: neg,
          b: eye,
          activation: 'prelu',
          preluActivationWeights: tf.tensor2d([1, 2, 3, 4], [2, 2]),
        });
        expect(Array.from(prelu.dataSync())).toEqual([-1, -4, -9, -16]);
      });
    },
  );

  it.skipIf(!available)('rejects mismatched inner dimensions with a ShapeError', () => {
    useKernels(mode);
    tf.tidy(() => {
      expect(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 5]))).toThrow(ShapeError);
    });
  });
});
