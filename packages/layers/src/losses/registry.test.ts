import { NotFoundError, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { readScalar } from '../testing/tensor-checks.js';
import { BinaryCrossentropy } from './binary.js';
import { CategoricalCrossentropy, SparseCategoricalCrossentropy } from './categorical.js';
import { losses } from './index.js';
import type { Loss } from './loss.js';
import { FunctionLoss } from './registry.js';
import { Huber, MeanAbsoluteError, MeanSquaredError } from './regression.js';

describe('losses.get', () => {
  const table: Array<[string[], new () => Loss, string]> = [
    [
      ['mean_squared_error', 'mse', 'meanSquaredError', 'MeanSquaredError'],
      MeanSquaredError,
      'mean_squared_error',
    ],
    [
      ['mean_absolute_error', 'mae', 'meanAbsoluteError', 'MeanAbsoluteError'],
      MeanAbsoluteError,
      'mean_absolute_error',
    ],
    [
      ['categorical_crossentropy', 'categoricalCrossentropy', 'CategoricalCrossentropy'],
      CategoricalCrossentropy,
      'categorical_crossentropy',
    ],
    [
      [
        'sparse_categorical_crossentropy',
        'sparseCategoricalCrossentropy',
        'SparseCategoricalCrossentropy',
      ],
      SparseCategoricalCrossentropy,
      'sparse_categorical_crossentropy',
    ],
    [
      ['binary_crossentropy', 'binaryCrossentropy', 'BinaryCrossentropy'],
      BinaryCrossentropy,
      'binary_crossentropy',
    ],
    [['huber', 'huber_loss', 'Huber'], Huber, 'huber'],
  ];
  for (const [names, cls, canonical] of table) {
    it(`resolves ${names.join(', ')} to ${cls.name} named ${canonical}`, () => {
      for (const name of names) {
        const loss = losses.get(name);
        expect(loss).toBeInstanceOf(cls);
        expect(loss.name).toBe(canonical);
        expect(losses.canonicalName(name)).toBe(canonical);
      }
    });
  }

  it('an unknown name is a NotFoundError naming it and listing the known names', () => {
    expect(() => losses.get('categorical_crossentropyy')).toThrow(NotFoundError);
    expect(() => losses.get('categorical_crossentropyy')).toThrow(
      /Unknown loss "categorical_crossentropyy" \(did you mean "categorical_crossentropy"\?\): expected one of mean_squared_error, .*huber.*Received: loss="categorical_crossentropyy"/,
    );
    expect(losses.canonicalName('nope')).toBeUndefined();
  });

  it('returns a Loss object as is and rejects other values', () => {
    const loss = new Huber({ delta: 3 });
    expect(losses.get(loss)).toBe(loss);
    expect(() => losses.get(42 as never)).toThrow(ValueError);
    expect(() => losses.get(null as never)).toThrow(/Received: loss=null/);
  });

  it('wraps a function: per-example results are averaged', () => {
    function absSum(yTrue: Tensor, yPred: Tensor): Tensor {
      return tf.sum(tf.abs(tf.sub(yPred, yTrue)), -1);
    }
    const loss = losses.get(absSum);
    expect(loss.name).toBe('absSum');
    const got = readScalar(
      loss.call(
        tf.tensor([
          [0, 0],
          [1, 1],
        ]),
        tf.tensor([
          [1, 2],
          [1, 4],
        ]),
      ),
    );
    expect(got).toBeCloseTo((3 + 3) / 2, 6);
  });
});

describe('losses.serialize / deserialize', () => {
  it('round-trips every built-in through JSON with the same value', () => {
    const yTrue = tf.tensor([
      [0, 1],
      [1, 0],
    ]);
    const yPred = tf.tensor([
      [0.3, 0.7],
      [0.6, 0.4],
    ]);
    const all: Loss[] = [
      new MeanSquaredError(),
      new MeanAbsoluteError(),
      new Huber({ delta: 0.25 }),
      new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
      new BinaryCrossentropy({ labelSmoothing: 0.2 }),
    ];
    for (const loss of all) {
      const json = JSON.parse(JSON.stringify(losses.serialize(loss)));
      expect(json.className).toBe(loss.className);
      const copy = losses.deserialize(json);
      expect(copy.getConfig()).toEqual(loss.getConfig());
      expect(readScalar(copy.call(yTrue, yPred))).toBe(readScalar(loss.call(yTrue, yPred)));
    }
    const sparse = losses.deserialize(
      losses.serialize(new SparseCategoricalCrossentropy({ fromLogits: true })),
    );
    expect(sparse).toBeInstanceOf(SparseCategoricalCrossentropy);
    expect(sparse.getConfig()).toEqual({ fromLogits: true });
    tf.dispose([yTrue, yPred]);
  });

  it('serialized form is { className, config } with camelCase keys', () => {
    expect(losses.serialize(losses.categoricalCrossentropy({ fromLogits: true }))).toEqual({
      className: 'CategoricalCrossentropy',
      config: { fromLogits: true, labelSmoothing: 0 },
    });
  });

  it('deserialize accepts a plain name and get accepts a serialized form', () => {
    expect(losses.deserialize('mse')).toBeInstanceOf(MeanSquaredError);
    const loss = losses.get({ className: 'Huber', config: { delta: 2 } });
    expect(loss).toBeInstanceOf(Huber);
    expect(loss.getConfig()).toEqual({ delta: 2 });
  });

  it('rejects a bad config with the option named', () => {
    expect(() => losses.deserialize({ className: 'Huber', config: { delta: -1 } })).toThrow(
      'Huber: delta must be a positive finite number. Received: delta=-1',
    );
    expect(() =>
      losses.deserialize({ className: 'BinaryCrossentropy', config: { from_logits: true } }),
    ).toThrow(/unknown argument.*Received: key="from_logits"/);
    expect(() => losses.deserialize({ className: 'Nope', config: {} })).toThrow(NotFoundError);
  });

  it('a custom function must be registered to serialize, then round-trips by name', () => {
    const doubled = (yTrue: Tensor, yPred: Tensor): Tensor =>
      tf.mul(2, tf.mean(tf.square(tf.sub(yPred, yTrue)), -1));
    expect(() => losses.serialize(doubled)).toThrow(/register it first with losses.register/);
    losses.register('doubled_mse', doubled);
    const wrapped = losses.get(doubled);
    expect(wrapped).toBeInstanceOf(FunctionLoss);
    expect(wrapped.name).toBe('doubled_mse');
    expect(losses.serialize(wrapped)).toEqual({ className: 'doubled_mse', config: {} });
    expect(losses.serialize(doubled)).toEqual({ className: 'doubled_mse', config: {} });
    const back = losses.deserialize({ className: 'doubled_mse', config: {} });
    const yTrue = tf.tensor([[1, 2]]);
    const yPred = tf.tensor([[2, 4]]);
    expect(readScalar(back.call(yTrue, yPred))).toBeCloseTo(2 * 2.5, 6);
    expect(losses.get('doubled_mse').name).toBe('doubled_mse');
    tf.dispose([yTrue, yPred]);
  });

  it('a registered Loss object is returned by name', () => {
    const custom: Loss = {
      name: 'zero_loss',
      call: () => tf.scalar(0),
      getConfig: () => ({ note: 'x' }),
    };
    losses.register('zero_loss', custom);
    expect(losses.get('zero_loss')).toBe(custom);
    expect(losses.serialize(custom)).toEqual({ className: 'zero_loss', config: { note: 'x' } });
  });

  it('register validates its arguments and reserves built-in names', () => {
    expect(() => losses.register('mse', () => tf.scalar(0))).toThrow(
      'A loss named "mse" is already registered; pass { override: true } to replace it. Received: name="mse"',
    );
    expect(() => losses.register('', () => tf.scalar(0))).toThrow(ValueError);
    expect(() => losses.register('bad', 3 as never)).toThrow(
      /expected a Loss object or a function/,
    );
  });
});
