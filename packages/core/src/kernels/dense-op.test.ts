import { afterAll, describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '../errors.js';
import { checkGradients } from '../gradient-check.js';
import { RngStream } from '../rng.js';
import { toleranceRatio } from '../testing/kernel-compare.js';
import { type Tensor, tf } from '../tf.js';
import { DENSE_ACTIVATIONS, type DenseActivation, fusedDense } from './dense-op.js';
import { type KernelMode, useKernels } from './register.js';

const rng = RngStream.fromSeed(34, 'dense-op');

afterAll(() => {
  useKernels('auto');
});

function random(shape: number[], scale = 1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => rng.normal() * scale),
    shape,
    'float32',
  );
}

/** act(x·W + b) in float64, written out. */
function reference(
  x: Tensor,
  w: Tensor,
  b: Tensor | undefined,
  act: DenseActivation,
): Float64Array {
  const [m, k] = x.shape as [number, number];
  const n = w.shape[1]!;
  const xv = x.dataSync();
  const wv = w.dataSync();
  const bv = b?.dataSync();
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bv === undefined ? 0 : bv[j]!;
      for (let p = 0; p < k; p++) s += xv[i * k + p]! * wv[p * n + j]!;
      out[i * n + j] = act === 'relu' ? Math.max(0, s) : s;
    }
    if (act === 'softmax') {
      const row = out.subarray(i * n, (i + 1) * n);
      const max = Math.max(...row);
      let sum = 0;
      for (let j = 0; j < n; j++) sum += row[j] = Math.exp(row[j]! - max);
      for (let j = 0; j < n; j++) row[j] = row[j]! / sum;
    }
  }
  return out;
}

/** The same computation from separate tfjs ops (tfjs's own gradients). */
function unfused(x: Tensor, w: Tensor, b: Tensor | undefined, act: DenseActivation): Tensor {
  const z = b === undefined ? tf.matMul(x, w) : tf.add(tf.matMul(x, w), b);
  return act === 'relu' ? tf.relu(z) : act === 'softmax' ? tf.softmax(z) : z;
}

const SHAPES: Array<[number, number, number]> = [
  [128, 784, 128],
  [128, 128, 10],
  [7, 5, 3],
  [1, 1, 1],
];

describe('fusedDense', () => {
  describe.each(DENSE_ACTIVATIONS)('activation %s', (act) => {
    it.each(SHAPES)('m=%d k=%d n=%d matches float64 with and without bias', (m, k, n) => {
      const x = random([m, k]);
      const w = random([k, n], 1 / Math.sqrt(k));
      const b = random([n]);
      for (const bias of [b, undefined]) {
        const y = fusedDense({ x, kernel: w, bias, activation: act });
        expect(y.shape).toEqual([m, n]);
        const ratio = toleranceRatio(y.dataSync(), reference(x, w, bias, act), {
          rtol: 1e-5,
          atol: 1e-5,
        });
        expect(ratio).toBeLessThanOrEqual(1);
        y.dispose();
      }
      tf.dispose([x, w, b]);
    });

    it("gradients w.r.t. x, kernel and bias agree with tfjs's unfused ops", () => {
      const x = random([32, 20]);
      const w = random([20, 6], 0.3);
      const b = random([6]);
      const r = random([32, 6]);
      const loss = (f: typeof fusedDense | 'unfused') => (xx: Tensor, ww: Tensor, bb: Tensor) =>
        tf.sum(
          tf.mul(
            r,
            f === 'unfused'
              ? unfused(xx, ww, bb, act)
              : f({ x: xx, kernel: ww, bias: bb, activation: act }),
          ),
        );
      const ours = tf.grads(loss(fusedDense))([x, w, b]);
      const theirs = tf.grads(loss('unfused'))([x, w, b]);
      ours.forEach((g, i) => {
        expect(g.shape).toEqual(theirs[i]!.shape);
        const ratio = toleranceRatio(g.dataSync(), theirs[i]!.dataSync(), {
          rtol: 1e-5,
          atol: 1e-6,
        });
        expect(ratio, `input ${i}`).toBeLessThanOrEqual(1);
      });
      tf.dispose([x, w, b, r, ...ours, ...theirs]);
    });

    it('passes the finite-difference gradient check', () => {
      const x = random([4, 3]);
      const w = random([3, 5], 0.5);
      const b = random([5], 0.1);
      const report = checkGradients(
        (xx: Tensor, ww: Tensor, bb: Tensor) =>
          tf.mul(
            fusedDense({ x: xx, kernel: ww, bias: bb, activation: act }),
            tf.range(1, 21).reshape([4, 5]),
          ),
        [x, w, b],
        { epsilon: 1e-3, rtol: 2e-2, atol: 2e-3 },
      );
      expect(report.ok, `max error ${report.maxError}`).toBe(true);
      tf.dispose([x, w, b]);
    });

    it('second-order gradients (a gradient differentiated again) agree with the unfused ops', () => {
      const x = random([6, 4]);
      const w = random([4, 3], 0.5);
      const r = random([6, 3]);
      const outer = (f: typeof fusedDense | 'unfused') =>
        tf.grad((ww: Tensor) => {
          const inner = tf.grad((xx: Tensor) =>
            tf.sum(
              tf.mul(
                r,
                f === 'unfused'
                  ? unfused(xx, ww, undefined, act)
                  : f({ x: xx, kernel: ww, activation: act }),
              ),
            ),
          );
          return tf.sum(tf.square(inner(x)));
        });
      const ours = outer(fusedDense)(w);
      const theirs = outer('unfused')(w);
      expect(
        toleranceRatio(ours.dataSync(), theirs.dataSync(), { rtol: 1e-4, atol: 1e-5 }),
      ).toBeLessThanOrEqual(1);
      tf.dispose([x, w, r, ours, theirs]);
    });
  });

  it('computes the input gradient only when something needs it', () => {
    const x = random([16, 12]);
    const w = tf.variable(random([12, 4]));
    const b = tf.variable(random([4]));
    /** BatchMatMul kernels run by forward + backward of f w.r.t. vars. */
    const matMuls = (f: () => Tensor, vars: tf.Variable[]): number => {
      let count = 0;
      const engine = tf.engine();
      const run = engine.runKernel.bind(engine);
      engine.runKernel = ((...args: Parameters<typeof run>) => {
        if (args[0] === 'BatchMatMul') count++;
        return run(...args);
      }) as typeof engine.runKernel;
      try {
        const { value, grads } = tf.variableGrads(f as () => tf.Scalar, vars);
        tf.dispose([value, ...Object.values(grads)]);
      } finally {
        engine.runKernel = run;
      }
      return count;
    };
    // Weights only: dW, no dx.
    expect(
      matMuls(() => tf.sum(fusedDense({ x, kernel: w, bias: b, activation: 'relu' })), [w, b]),
    ).toBe(1);
    // A second layer needs dx of its input, the first layer's output.
    const w2 = tf.variable(random([4, 3]));
    const twoLayers = () =>
      tf.sum(
        fusedDense({ x: fusedDense({ x, kernel: w, bias: b, activation: 'relu' }), kernel: w2 }),
      );
    // dW2 and dx2 of the second layer, dW1 of the first.
    expect(matMuls(twoLayers, [w, b, w2])).toBe(3);
    // Only the second layer's weights: no gradient flows into the first.
    expect(matMuls(twoLayers, [w2])).toBe(1);
    tf.dispose([x, w, b, w2]);
  });

  it('leaves no tensors behind, forward or backward', () => {
    const x = random([8, 5]);
    const w = tf.variable(random([5, 3]));
    const b = tf.variable(random([3]));
    const before = tf.memory().numTensors;
    for (const activation of DENSE_ACTIVATIONS) {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(fusedDense({ x, kernel: w, bias: b, activation })),
        [w, b],
      );
      tf.dispose([value, ...Object.values(grads)]);
      fusedDense({ x, kernel: w, bias: b, activation }).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, b]);
  });

  it.each(['js', 'tfjs'] as KernelMode[])(
    'gives the same values with TESSERA_KERNELS=%s',
    (mode) => {
      const x = random([10, 9]);
      const w = random([9, 4]);
      const b = random([4]);
      const expected = reference(x, w, b, 'softmax');
      useKernels(mode);
      try {
        const y = fusedDense({ x, kernel: w, bias: b, activation: 'softmax' });
        expect(
          toleranceRatio(y.dataSync(), expected, { rtol: 1e-5, atol: 1e-6 }),
        ).toBeLessThanOrEqual(1);
        y.dispose();
      } finally {
        useKernels('auto');
      }
      tf.dispose([x, w, b]);
    },
  );

  it('rejects bad shapes, dtypes and activations in the Keras form', () => {
    const x = random([2, 3]);
    const w = random([3, 4]);
    expect(() => fusedDense({ x, kernel: random([2, 4]) })).toThrow(ShapeError);
    expect(() => fusedDense({ x: random([2, 3, 1]), kernel: w })).toThrow(
      /fusedDense: expected x \[batch, k\] and kernel \[k, units\]\. Received: shapes=/,
    );
    expect(() => fusedDense({ x, kernel: w, bias: random([3]) })).toThrow(
      'fusedDense: bias must have shape [4]. Received: bias.shape=[3]',
    );
    expect(() => fusedDense({ x: tf.zeros([2, 3], 'int32'), kernel: w })).toThrow(ValueError);
    expect(() => fusedDense({ x, kernel: w, activation: 'tanh' as DenseActivation })).toThrow(
      'fusedDense: activation must be one of linear, relu, softmax. Received: activation="tanh"',
    );
    tf.disposeVariables();
  });
});
