import { ShapeError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  expectNoTensorLeak,
  expectPredictionGradientsOk,
  readScalar,
} from '../testing/tensor-checks.js';
import { CategoricalCrossentropy, SparseCategoricalCrossentropy } from './categorical.js';

const EPS = 1e-7;

/** Float64 log-probabilities of one row, as Keras computes them. */
function logProbRef(row: number[], fromLogits: boolean): number[] {
  if (fromLogits) {
    const max = Math.max(...row);
    const logSum = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
    return row.map((x) => x - logSum);
  }
  const sum = row.reduce((s, x) => s + x, 0);
  return row.map((x) => Math.log(Math.min(Math.max(x / sum, EPS), 1 - EPS)));
}

/** Float64 reference of the categorical crossentropy (mean over rows). */
function ccRef(yTrue: number[][], yPred: number[][], fromLogits: boolean, smoothing = 0): number {
  let total = 0;
  for (let r = 0; r < yTrue.length; r++) {
    const k = yTrue[r]!.length;
    const target = yTrue[r]!.map((t) => t * (1 - smoothing) + smoothing / k);
    const logProb = logProbRef(yPred[r]!, fromLogits);
    total -= target.reduce((s, t, c) => s + t * logProb[c]!, 0);
  }
  return total / yTrue.length;
}

const oneHot = [
  [0, 1, 0],
  [0, 0, 1],
  [1, 0, 0],
];
const probs = [
  [0.05, 0.95, 0],
  [0.1, 0.8, 0.1],
  [0.5, 0.3, 0.2],
];
// Rows that do not sum to 1: Keras renormalises before clipping.
const unnormalised = [
  [0.2, 0.6, 0.4],
  [1.0, 0.5, 0.5],
  [0.3, 0.3, 0.9],
];
const logits = [
  [1.5, -0.3, 2.2],
  [-1.0, 0.4, 0.9],
  [3.0, -2.0, 0.1],
];

describe('categorical crossentropy', () => {
  it('matches the float64 formula on probabilities (with the 1e-7 clip)', () => {
    const loss = new CategoricalCrossentropy();
    const got = readScalar(loss.call(tf.tensor(oneHot), tf.tensor(probs)));
    expect(got).toBeCloseTo(ccRef(oneHot, probs, false), 5);
    // The zero probability of row 0 is clipped, not -Infinity; the Keras docs' example rows.
    expect(got).toBeCloseTo((-Math.log(0.95) - Math.log(0.1) - Math.log(0.5)) / 3, 5);
  });

  it('a zero probability on the true class costs -log(1e-7), not Infinity', () => {
    const got = readScalar(
      new CategoricalCrossentropy().call(tf.tensor([[1, 0, 0]]), tf.tensor([[0, 0.5, 0.5]])),
    );
    expect(got).toBeCloseTo(-Math.log(EPS), 4);
  });

  it('renormalises probabilities that do not sum to 1', () => {
    const got = readScalar(
      new CategoricalCrossentropy().call(tf.tensor(oneHot), tf.tensor(unnormalised)),
    );
    expect(got).toBeCloseTo(ccRef(oneHot, unnormalised, false), 5);
  });

  it('matches the float64 formula from logits', () => {
    const got = readScalar(
      new CategoricalCrossentropy({ fromLogits: true }).call(tf.tensor(oneHot), tf.tensor(logits)),
    );
    expect(got).toBeCloseTo(ccRef(oneHot, logits, true), 5);
  });

  it('applies label smoothing', () => {
    const loss = new CategoricalCrossentropy({ labelSmoothing: 0.1 });
    expect(readScalar(loss.call(tf.tensor(oneHot), tf.tensor(probs)))).toBeCloseTo(
      ccRef(oneHot, probs, false, 0.1),
      5,
    );
    const fromLogits = new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 });
    expect(readScalar(fromLogits.call(tf.tensor(oneHot), tf.tensor(logits)))).toBeCloseTo(
      ccRef(oneHot, logits, true, 0.2),
      5,
    );
  });

  it('is stable for huge logits', () => {
    const yPred = tf.tensor([[1000, -1000, 0]]);
    const got = readScalar(
      new CategoricalCrossentropy({ fromLogits: true }).call(tf.tensor([[0, 1, 0]]), yPred),
    );
    expect(got).toBeCloseTo(2000, 2);
    expect(Number.isFinite(got)).toBe(true);
  });

  it('gradients w.r.t. yPred match finite differences (probabilities and logits)', () => {
    const yTrue = tf.tensor(oneHot);
    for (const [fromLogits, rows] of [
      [false, unnormalised],
      [true, logits],
    ] as const) {
      const loss = new CategoricalCrossentropy({ fromLogits, labelSmoothing: 0.1 });
      expectPredictionGradientsOk(loss, yTrue, rows);
    }
    yTrue.dispose();
  });

  it('leaks no tensors', () => {
    const yTrue = tf.tensor(oneHot);
    const yPred = tf.tensor(logits);
    expectNoTensorLeak(() => {
      readScalar(
        new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }).call(yTrue, yPred),
      );
      readScalar(new CategoricalCrossentropy().call(yTrue, yPred));
    });
    tf.dispose([yTrue, yPred]);
  });

  it('a shape mismatch names both shapes', () => {
    const yTrue = tf.zeros([3]);
    const yPred = tf.zeros([3, 4]);
    const loss = new CategoricalCrossentropy();
    expect(() => loss.call(yTrue, yPred)).toThrow(ShapeError);
    expect(() => loss.call(yTrue, yPred)).toThrow(
      'categorical_crossentropy: yTrue and yPred must have the same shape. Received: yTrue.shape=[3], yPred.shape=[3,4]',
    );
    tf.dispose([yTrue, yPred]);
  });

  it('validates its options', () => {
    expect(() => new CategoricalCrossentropy({ labelSmoothing: 1.5 })).toThrow(
      'CategoricalCrossentropy: labelSmoothing must be a number in [0, 1]. Received: labelSmoothing=1.5',
    );
    expect(() => new CategoricalCrossentropy({ fromLogits: 'yes' as never })).toThrow(ValueError);
  });

  it('config round-trips', () => {
    const loss = new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.05 });
    const copy = new CategoricalCrossentropy(JSON.parse(JSON.stringify(loss.getConfig())));
    expect(copy.getConfig()).toEqual({ fromLogits: true, labelSmoothing: 0.05 });
  });
});

describe('sparse categorical crossentropy', () => {
  const ids = [1, 2, 0];

  it('equals the categorical loss of the one-hot labels, for every label layout and dtype', () => {
    const expected = ccRef(oneHot, probs, false);
    const layouts = [
      tf.tensor(ids, [3], 'int32'),
      tf.tensor(ids, [3], 'float32'),
      tf.tensor(ids, [3, 1], 'int32'),
      tf.tensor(ids, [3, 1], 'float32'),
    ];
    const loss = new SparseCategoricalCrossentropy();
    const yPred = tf.tensor(probs);
    for (const yTrue of layouts) {
      expect(readScalar(loss.call(yTrue, yPred))).toBeCloseTo(expected, 5);
    }
    tf.dispose([...layouts, yPred]);
  });

  it('matches the float64 formula from logits', () => {
    const loss = new SparseCategoricalCrossentropy({ fromLogits: true });
    const got = readScalar(loss.call(tf.tensor(ids), tf.tensor(logits)));
    expect(got).toBeCloseTo(ccRef(oneHot, logits, true), 5);
  });

  it('gradients w.r.t. yPred match finite differences', () => {
    const yTrue = tf.tensor(ids, [3, 1], 'int32');
    for (const [fromLogits, rows] of [
      [false, unnormalised],
      [true, logits],
    ] as const) {
      const loss = new SparseCategoricalCrossentropy({ fromLogits });
      expectPredictionGradientsOk(loss, yTrue, rows);
    }
    yTrue.dispose();
  });

  it('leaks no tensors', () => {
    const yTrue = tf.tensor(ids, [3, 1]);
    const yPred = tf.tensor(logits);
    expectNoTensorLeak(() => {
      readScalar(new SparseCategoricalCrossentropy({ fromLogits: true }).call(yTrue, yPred));
    });
    tf.dispose([yTrue, yPred]);
  });

  it('rejects one-hot labels and wrong batch sizes, naming both shapes', () => {
    const loss = new SparseCategoricalCrossentropy();
    const yPred = tf.tensor(probs);
    const oneHotLabels = tf.tensor(oneHot);
    const short = tf.tensor([1, 2]);
    expect(() => loss.call(oneHotLabels, yPred)).toThrow(ShapeError);
    expect(() => loss.call(oneHotLabels, yPred)).toThrow(
      /yTrue\.shape=\[3,3\], yPred\.shape=\[3,3\]/,
    );
    expect(() => loss.call(short, yPred)).toThrow(/yTrue\.shape=\[2\], yPred\.shape=\[3,3\]/);
    tf.dispose([yPred, oneHotLabels, short]);
  });

  it('rejects class ids out of range or not integers', () => {
    const loss = new SparseCategoricalCrossentropy();
    const yPred = tf.tensor(probs);
    const outOfRange = tf.tensor([0, 3, 1]);
    const fractional = tf.tensor([0, 1.5, 1]);
    const negative = tf.tensor([0, 1, -1], [3], 'int32');
    expect(() => loss.call(outOfRange, yPred)).toThrow(
      'sparse_categorical_crossentropy: class ids must be integers in [0, 3) for yPred.shape=[3,3]. Received: yTrue[1]=3',
    );
    expect(() => loss.call(fractional, yPred)).toThrow(ValueError);
    expect(() => loss.call(negative, yPred)).toThrow(/yTrue\[2\]=-1/);
    tf.dispose([yPred, outOfRange, fractional, negative]);
  });

  it('config round-trips', () => {
    const loss = new SparseCategoricalCrossentropy({ fromLogits: true });
    expect(new SparseCategoricalCrossentropy(loss.getConfig()).fromLogits).toBe(true);
    expect(() => new SparseCategoricalCrossentropy({ labelSmoothing: 0.1 } as never)).toThrow(
      /unknown argument/,
    );
  });
});
