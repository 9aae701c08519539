import { ShapeError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak, readScalar } from '../testing/tensor-checks.js';
import {
  AutoAccuracy,
  accuracyKindForShapes,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
} from './accuracy.js';

// Four rows, three classes: argmax of the predictions is 1, 2, 0, 0.
const probs = [
  [0.1, 0.7, 0.2],
  [0.3, 0.3, 0.4],
  [0.5, 0.1, 0.4],
  [0.6, 0.3, 0.1],
];
const oneHot = [
  [0, 1, 0], // right
  [0, 1, 0], // wrong
  [1, 0, 0], // right
  [0, 0, 1], // wrong
];
const ids = [1, 1, 0, 2];

describe('categorical accuracy', () => {
  it('counts rows whose argmax matches: 2 of 4', () => {
    expect(readScalar(new CategoricalAccuracy().call(tf.tensor(oneHot), tf.tensor(probs)))).toBe(
      0.5,
    );
    expect(
      readScalar(
        new CategoricalAccuracy().call(tf.tensor(oneHot.slice(0, 1)), tf.tensor(probs.slice(0, 1))),
      ),
    ).toBe(1);
  });

  it('names both shapes on a mismatch', () => {
    const yTrue = tf.tensor(ids);
    const yPred = tf.tensor(probs);
    expect(() => new CategoricalAccuracy().call(yTrue, yPred)).toThrow(ShapeError);
    expect(() => new CategoricalAccuracy().call(yTrue, yPred)).toThrow(
      /yTrue\.shape=\[4\], yPred\.shape=\[4,3\]/,
    );
    tf.dispose([yTrue, yPred]);
  });
});

describe('sparse categorical accuracy', () => {
  it('counts predictions whose argmax equals the class id, for [n] and [n, 1], int and float', () => {
    const yPred = tf.tensor(probs);
    const layouts = [
      tf.tensor(ids, [4], 'int32'),
      tf.tensor(ids, [4], 'float32'),
      tf.tensor(ids, [4, 1], 'int32'),
      tf.tensor(ids, [4, 1], 'float32'),
    ];
    for (const yTrue of layouts) {
      expect(readScalar(new SparseCategoricalAccuracy().call(yTrue, yPred))).toBe(0.5);
    }
    tf.dispose([yPred, ...layouts]);
  });

  it('three of four right', () => {
    expect(
      readScalar(new SparseCategoricalAccuracy().call(tf.tensor([1, 2, 0, 2]), tf.tensor(probs))),
    ).toBe(0.75);
  });

  it('rejects one-hot targets, naming both shapes', () => {
    const yTrue = tf.tensor(oneHot);
    const yPred = tf.tensor(probs);
    expect(() => new SparseCategoricalAccuracy().call(yTrue, yPred)).toThrow(
      /yTrue\.shape=\[4,3\], yPred\.shape=\[4,3\]/,
    );
    tf.dispose([yTrue, yPred]);
  });
});

describe('binary accuracy', () => {
  it('thresholds at 0.5 by default: 0.5 itself counts as 0', () => {
    const yTrue = tf.tensor([[1], [0], [1], [0], [0]]);
    const yPred = tf.tensor([[0.9], [0.6], [0.4], [0.1], [0.5]]);
    // right, wrong, wrong, right, right
    expect(readScalar(new BinaryAccuracy().call(yTrue, yPred))).toBeCloseTo(3 / 5, 7);
    expect(readScalar(new BinaryAccuracy({ threshold: 0.35 }).call(yTrue, yPred))).toBeCloseTo(
      3 / 5,
      7,
    );
    expect(readScalar(new BinaryAccuracy({ threshold: 0.95 }).call(yTrue, yPred))).toBeCloseTo(
      3 / 5,
      7,
    );
    expect(readScalar(new BinaryAccuracy({ threshold: 0.7 }).call(yTrue, yPred))).toBeCloseTo(
      4 / 5,
      7,
    );
    tf.dispose([yTrue, yPred]);
  });

  it('averages over units then rows for several outputs, and accepts [n] targets', () => {
    const yTrue = tf.tensor([
      [1, 0],
      [1, 1],
    ]);
    const yPred = tf.tensor([
      [0.8, 0.9],
      [0.7, 0.6],
    ]);
    expect(readScalar(new BinaryAccuracy().call(yTrue, yPred))).toBeCloseTo(3 / 4, 7);
    expect(
      readScalar(new BinaryAccuracy().call(tf.tensor([1, 0, 1]), tf.tensor([[0.8], [0.9], [0.6]]))),
    ).toBeCloseTo(2 / 3, 7);
    tf.dispose([yTrue, yPred]);
  });

  it('validates the threshold', () => {
    expect(() => new BinaryAccuracy({ threshold: Number.NaN })).toThrow(ValueError);
    expect(() => new BinaryAccuracy({ threshold: Number.NaN })).toThrow(/Received: threshold=/);
  });
});

describe('auto accuracy (no loss known): resolved by shapes as Keras 3 does', () => {
  const cases: Array<[string, number[], number[], ReturnType<typeof accuracyKindForShapes>]> = [
    ['[n,1] predictions', [4, 1], [4, 1], 'binary'],
    ['[n] predictions', [4], [4], 'binary'],
    ['[n,1] predictions with [n] targets', [4], [4, 1], 'binary'],
    ['[n] class ids', [4], [4, 3], 'sparse_categorical'],
    ['[n,1] class ids', [4, 1], [4, 3], 'sparse_categorical'],
    ['one-hot targets', [4, 3], [4, 3], 'categorical'],
  ];
  for (const [label, trueShape, predShape, kind] of cases) {
    it(`${label} → ${kind}`, () => {
      const yTrue = tf.zeros(trueShape);
      const yPred = tf.zeros(predShape);
      expect(accuracyKindForShapes(yTrue, yPred)).toBe(kind);
      tf.dispose([yTrue, yPred]);
    });
  }

  it('computes the resolved accuracy', () => {
    const acc = new AutoAccuracy();
    expect(acc.name).toBe('accuracy');
    expect(readScalar(acc.call(tf.tensor(oneHot), tf.tensor(probs)))).toBe(0.5);
    expect(readScalar(acc.call(tf.tensor([1, 2, 0, 2]), tf.tensor(probs)))).toBe(0.75);
    expect(readScalar(acc.call(tf.tensor([[1], [0]]), tf.tensor([[0.9], [0.2]])))).toBe(1);
  });

  it('leaks no tensors', () => {
    const yTrue = tf.tensor(oneHot);
    const ySparse = tf.tensor(ids);
    const yPred = tf.tensor(probs);
    expectNoTensorLeak(() => {
      readScalar(new AutoAccuracy().call(yTrue, yPred));
      readScalar(new AutoAccuracy().call(ySparse, yPred));
      readScalar(new BinaryAccuracy().call(yTrue, yPred));
      readScalar(new SparseCategoricalAccuracy().call(ySparse, yPred));
      readScalar(new CategoricalAccuracy().call(yTrue, yPred));
    });
    tf.dispose([yTrue, ySparse, yPred]);
  });
});
