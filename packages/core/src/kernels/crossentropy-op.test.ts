import { afterAll, describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '../errors.js';
import { RngStream } from '../rng.js';
import { sameBits, toleranceRatio } from '../testing/kernel-compare.js';
import { type Tensor, tf } from '../tf.js';
import { categoricalCrossentropy } from './crossentropy-op.js';
import { useKernels } from './register.js';

const rng = RngStream.fromSeed(55, 'crossentropy-op');
const EPS = 1e-7;

afterAll(() => {
  useKernels('auto');
});

/** Keras's crossentropy on probabilities from separate tfjs ops. */
function unfused(yTrue: Tensor, yPred: Tensor): Tensor {
  const q = tf.div(yPred, tf.sum(yPred, -1, true));
  return tf.mean(tf.neg(tf.sum(tf.mul(yTrue, tf.log(tf.clipByValue(q, EPS, 1 - EPS))), -1)));
}

const fused = (yTrue: Tensor, yPred: Tensor) =>
  categoricalCrossentropy({ yTrue, yPred, epsilon: EPS });

function oneHot(rows: number, classes: number): Tensor {
  const v = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) v[r * classes + rng.int(classes)] = 1;
  return tf.tensor(v, [rows, classes]);
}

/** Softmax outputs of random logits (rows sum to ~1). */
function probabilities(rows: number, classes: number, scale = 2): Tensor {
  return tf.tidy(() =>
    tf.softmax(
      tf.tensor(
        Float32Array.from({ length: rows * classes }, () => rng.normal() * scale),
        [rows, classes],
      ),
    ),
  );
}

interface Case {
  name: string;
  make: () => [Tensor, Tensor];
}

const CASES: Case[] = [
  {
    name: 'one-hot targets, softmax probabilities',
    make: () => [oneHot(128, 10), probabilities(128, 10)],
  },
  {
    name: 'soft targets, unnormalised positive predictions',
    make: () => [
      tf.tensor(
        Float32Array.from({ length: 60 }, () => rng.uniform()),
        [12, 5],
      ),
      tf.tensor(
        Float32Array.from({ length: 60 }, () => 0.05 + rng.uniform() * 3),
        [12, 5],
      ),
    ],
  },
  {
    name: 'probabilities clipped at both ends (0, 1 and tiny values)',
    make: () => [
      tf.tensor([
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [0.5, 0.5, 0],
      ]),
      tf.tensor([
        [1, 0, 0],
        [1e-9, 1 - 1e-9, 0],
        [0.3, 0.7, 0],
        [0.2, 0.8, 1e-8],
      ]),
    ],
  },
  { name: 'very confident softmax rows', make: () => [oneHot(64, 10), probabilities(64, 10, 12)] },
];

describe('categoricalCrossentropy', () => {
  it.each(CASES)('$name: the value is bitwise that of the unfused tfjs ops', ({ make }) => {
    const [y, p] = make();
    const ours = fused(y, p);
    useKernels('tfjs');
    const theirs = unfused(y, p);
    useKernels('auto');
    expect(ours.shape).toEqual([]);
    expect(sameBits(ours.dataSync(), theirs.dataSync())).toBe(-1);
    tf.dispose([y, p, ours, theirs]);
  });

  it.each(CASES)(
    '$name: gradients w.r.t. yPred and yTrue agree with the unfused ops',
    ({ make }) => {
      const [y, p] = make();
      const dy = tf.scalar(1.7);
      const ours = tf.grads(fused)([y, p], dy);
      useKernels('tfjs');
      const theirs = tf.grads(unfused)([y, p], dy);
      useKernels('auto');
      ours.forEach((g, i) => {
        const ratio = toleranceRatio(g.dataSync(), theirs[i]!.dataSync(), {
          rtol: 1e-5,
          atol: 1e-7,
        });
        expect(ratio, i === 0 ? 'd/d yTrue' : 'd/d yPred').toBeLessThanOrEqual(1);
      });
      tf.dispose([y, p, dy, ...ours, ...theirs]);
    },
  );

  it('matches the float64 formula; through softmax its gradient is (p - y) / batch', () => {
    const rows = 32;
    const classes = 10;
    const logits = tf.tensor(
      Float32Array.from({ length: rows * classes }, () => rng.normal()),
      [rows, classes],
    );
    const y = oneHot(rows, classes);
    const { value, grad } = tf.valueAndGrad((z: Tensor) => fused(y, tf.softmax(z)) as tf.Scalar)(
      logits,
    );
    const zv = logits.dataSync();
    const yv = y.dataSync();
    let loss = 0;
    const expected = new Float64Array(rows * classes);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(zv.subarray(r * classes, (r + 1) * classes));
      const max = Math.max(...row);
      const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
      for (let j = 0; j < classes; j++) {
        const pj = Math.exp(row[j]! - max) / sum;
        loss -= (yv[r * classes + j]! * Math.log(pj)) / rows;
        expected[r * classes + j] = (pj - yv[r * classes + j]!) / rows;
      }
    }
    expect(value.dataSync()[0]).toBeCloseTo(loss, 5);
    expect(
      toleranceRatio(grad.dataSync(), expected, { rtol: 1e-4, atol: 1e-7 }),
    ).toBeLessThanOrEqual(1);
    tf.dispose([logits, y, value, grad]);
  });

  it('leaves no tensors behind', () => {
    const y = oneHot(16, 5);
    const p = tf.variable(probabilities(16, 5));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(() => fused(y, p) as tf.Scalar, [p]);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([y, p]);
  });

  it('rejects other shapes, dtypes and epsilons in the Keras form', () => {
    const y = oneHot(4, 3);
    const p = probabilities(4, 3);
    expect(() => fused(y, tf.ones([4, 4]))).toThrow(ShapeError);
    expect(() => fused(tf.ones([4]), tf.ones([4]))).toThrow(
      /expected yTrue and yPred of one shape \[batch, classes\]\. Received: shapes=/,
    );
    expect(() => fused(tf.ones([4, 3], 'int32'), p)).toThrow(ValueError);
    expect(() => categoricalCrossentropy({ yTrue: y, yPred: p, epsilon: 0 })).toThrow(
      'categoricalCrossentropy: epsilon must be in (0, 0.5). Received: epsilon=0',
    );
    tf.dispose([y, p]);
  });
});
