import { checkGradients, ShapeError, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '../testing/tensor-checks.js';
import { logSoftmax, type SoftmaxOptions, softmax } from './softmax.js';

/** float64 log-softmax of one vector. */
function logSoftmax64(v: number[]): number[] {
  const max = Math.max(...v);
  const lse = max + Math.log(v.reduce((s, x) => s + Math.exp(x - max), 0));
  return v.map((x) => x - lse);
}

/** Reference along `axis` of a row-major [rows, cols] (axis 1) or column-wise (axis 0) matrix. */
function alongAxis(m: number[][], axis: 0 | 1, f: (v: number[]) => number[]): number[][] {
  if (axis === 1) return m.map(f);
  const cols = m[0]!.map((_, j) => f(m.map((row) => row[j]!)));
  return m.map((row, i) => row.map((_, j) => cols[j]![i]!));
}

const MATRIX = [
  [-50, 0, 50, 3],
  [1, 2, 3, 4],
  [-0.5, -0.5, -0.5, -0.5],
  [1000, 999, -1000, 0],
];

function expectClose(got: Tensor, want: number[][], atol = 1e-5): void {
  const values = got.arraySync() as number[][];
  for (const [i, row] of want.entries()) {
    for (const [j, w] of row.entries()) {
      const g = values[i]?.[j] ?? Number.NaN;
      expect(Math.abs(g - w), `[${i}][${j}]: got ${g}, want ${w}`).toBeLessThanOrEqual(
        atol + 1e-5 * Math.abs(w),
      );
    }
  }
}

/** Fixed weights so sum(w * f(x)) has a non-trivial gradient (sum(softmax) is constant). */
function weighted(f: (x: Tensor) => Tensor, shape: number[]): (x: Tensor) => Tensor {
  return (x) =>
    tf.tidy(() => {
      const w = tf.reshape(tf.sin(tf.mul(tf.range(0, x.size), 0.37)), shape);
      return tf.mul(f(x), w);
    });
}

/** softmax or logSoftmax. */
type AxisFn = (x: Tensor, options?: SoftmaxOptions) => Tensor;

/** Finite-difference gradients of `f` along the last and the first axis. */
function expectGradientsAlongAxesOk(f: AxisFn): void {
  const x = tf.tensor2d([
    [0.3, -1.2, 2.1],
    [1.5, 0.2, -0.7],
  ]);
  for (const axis of [-1, 0]) {
    const report = checkGradients(
      weighted((t) => f(t, { axis }), [2, 3]),
      [x],
    );
    expect(report.worst, JSON.stringify(report.worst)).toBeUndefined();
  }
  x.dispose();
}

/** `f` along the default axis and along axis 0 leaves no tensor behind. */
function expectNoLeakAlongAxes(f: AxisFn): void {
  const x = tf.tensor2d(MATRIX);
  expectNoTensorLeak(() => {
    f(x).dispose();
    f(x, { axis: 0 }).dispose();
  });
  x.dispose();
}

describe('softmax', () => {
  it('matches the float64 formula along the last axis, also for large magnitudes', () => {
    const x = tf.tensor2d(MATRIX);
    const y = softmax(x);
    expectClose(
      y,
      alongAxis(MATRIX, 1, (v) => logSoftmax64(v).map(Math.exp)),
    );
    tf.dispose([x, y]);
  });

  it('works along another axis', () => {
    const x = tf.tensor2d(MATRIX);
    const y = softmax(x, { axis: 0 });
    expectClose(
      y,
      alongAxis(MATRIX, 0, (v) => logSoftmax64(v).map(Math.exp)),
    );
    const sums = tf.sum(y, 0);
    expect(Array.from(sums.dataSync())).toEqual([1, 1, 1, 1].map((v) => expect.closeTo(v, 6)));
    tf.dispose([x, y, sums]);
  });

  it('on a rank-3 input along axis 1 equals the per-slice softmax', () => {
    const x = tf.tensor3d([
      [
        [1, -2],
        [0.5, 4],
      ],
      [
        [3, 3],
        [-1, 0],
      ],
    ]);
    const y = softmax(x, { axis: 1 }).arraySync() as number[][][];
    // Slice [b, :, c] is a 2-vector: softmax([a, b])[0] = 1 / (1 + exp(b - a)).
    expect(y[0]![0]![0]).toBeCloseTo(1 / (1 + Math.exp(0.5 - 1)), 6);
    expect(y[0]![1]![1]).toBeCloseTo(1 / (1 + Math.exp(-2 - 4)), 6);
    expect(y[1]![0]![1]).toBeCloseTo(1 / (1 + Math.exp(0 - 3)), 6);
    x.dispose();
  });

  it('has finite-difference gradients along the last and the first axis', () => {
    expectGradientsAlongAxesOk(softmax);
  });

  it('rejects a bad axis and a scalar input', () => {
    const x = tf.tensor2d([[1, 2]]);
    expect(() => softmax(x, { axis: 2 })).toThrow(ValueError);
    expect(() => softmax(x, { axis: 2 })).toThrow(
      /axis must be an integer in \[-2, 1\].*Received: axis=2/,
    );
    expect(() => softmax(x, { axis: 0.5 })).toThrow(ValueError);
    const s = tf.scalar(1);
    expect(() => softmax(s)).toThrow(ShapeError);
    tf.dispose([x, s]);
  });

  it('does not leak tensors', () => {
    expectNoLeakAlongAxes(softmax);
  });
});

describe('log_softmax', () => {
  it('matches the float64 formula along the last axis and along axis 0', () => {
    const x = tf.tensor2d(MATRIX);
    const last = logSoftmax(x);
    const first = logSoftmax(x, { axis: 0 });
    expectClose(last, alongAxis(MATRIX, 1, logSoftmax64), 1e-4);
    expectClose(first, alongAxis(MATRIX, 0, logSoftmax64), 1e-4);
    tf.dispose([x, last, first]);
  });

  it('has finite-difference gradients', () => {
    expectGradientsAlongAxesOk(logSoftmax);
  });

  it('does not leak tensors', () => {
    expectNoLeakAlongAxes(logSoftmax);
  });
});
