import { NotFoundError, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { CategoricalCrossentropy } from '../losses/categorical.js';
import { readScalar } from '../testing/tensor-checks.js';
import {
  AutoAccuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
} from './accuracy.js';
import { metrics } from './index.js';
import { LossMetric } from './loss-metric.js';
import type { Metric } from './metric.js';
import { FunctionMetric } from './registry.js';

describe("metrics.get('accuracy', { loss }): the Keras resolution table", () => {
  const table: Array<[string | undefined, new () => Metric]> = [
    ['categorical_crossentropy', CategoricalAccuracy],
    ['CategoricalCrossentropy', CategoricalAccuracy],
    ['sparse_categorical_crossentropy', SparseCategoricalAccuracy],
    ['sparseCategoricalCrossentropy', SparseCategoricalAccuracy],
    ['binary_crossentropy', BinaryAccuracy],
    ['mean_squared_error', AutoAccuracy],
    ['my_custom_loss', AutoAccuracy],
    [undefined, AutoAccuracy],
  ];
  for (const [loss, cls] of table) {
    it(`loss ${loss ?? '(none)'} → ${cls.name}, named as the user wrote it`, () => {
      for (const id of ['accuracy', 'acc', 'Accuracy']) {
        const metric = loss === undefined ? metrics.get(id) : metrics.get(id, { loss });
        expect(metric).toBeInstanceOf(cls);
        expect(metric.name).toBe(id);
      }
    });
  }

  it('binary crossentropy gives binary accuracy even with several output units', () => {
    const metric = metrics.get('accuracy', { loss: 'binary_crossentropy' });
    const got = readScalar(metric.call(tf.tensor([[1, 0, 1]]), tf.tensor([[0.7, 0.8, 0.1]])));
    expect(got).toBeCloseTo(1 / 3, 7);
  });

  it('binary accuracy from the loss uses the 0.5 threshold', () => {
    const metric = metrics.get('accuracy', { loss: 'binary_crossentropy' }) as BinaryAccuracy;
    expect(metric.threshold).toBe(0.5);
  });
});

describe('metrics.get by name', () => {
  const table: Array<[string, string, number]> = [
    // [identifier, class name, value on the fixture below]
    ['categorical_accuracy', 'CategoricalAccuracy', 0.5],
    ['categoricalAccuracy', 'CategoricalAccuracy', 0.5],
    ['mae', 'MeanAbsoluteError', (0.4 + 0.4 + 0.6 + 0.6) / 4],
    ['mean_absolute_error', 'MeanAbsoluteError', (0.4 + 0.4 + 0.6 + 0.6) / 4],
    ['mse', 'MeanSquaredError', (0.16 + 0.16 + 0.36 + 0.36) / 4],
    ['mean_squared_error', 'MeanSquaredError', (0.16 + 0.16 + 0.36 + 0.36) / 4],
    ['meanSquaredError', 'MeanSquaredError', (0.16 + 0.16 + 0.36 + 0.36) / 4],
    ['categorical_crossentropy', 'CategoricalCrossentropy', (-Math.log(0.6) - Math.log(0.4)) / 2],
  ];
  for (const [id, className, expected] of table) {
    it(`${id} → ${className} named ${id}`, () => {
      const metric = metrics.get(id);
      expect(metric.className).toBe(className);
      expect(metric.name).toBe(id);
      const yTrue = tf.tensor([
        [0, 1],
        [1, 0],
      ]);
      const yPred = tf.tensor([
        [0.4, 0.6],
        [0.4, 0.6],
      ]);
      const before = tf.memory().numTensors;
      expect(readScalar(metric.call(yTrue, yPred))).toBeCloseTo(expected, 6);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([yTrue, yPred]);
    });
  }

  it('an unknown name is a NotFoundError listing the known names', () => {
    expect(() => metrics.get('accuracyy')).toThrow(NotFoundError);
    expect(() => metrics.get('accuracyy')).toThrow(
      /Unknown metric "accuracyy": expected one of categorical_accuracy, .*accuracy, acc, or any loss name. Received: metric="accuracyy"/,
    );
  });

  it('returns a Metric as is and rejects other values', () => {
    const metric = new BinaryAccuracy({ name: 'accuracy', threshold: 0.3 });
    expect(metrics.get(metric)).toBe(metric);
    expect(() => metrics.get(7 as never)).toThrow(ValueError);
  });
});

describe('custom function metrics', () => {
  it('a function is averaged and named after itself', () => {
    function maxError(yTrue: Tensor, yPred: Tensor): Tensor {
      return tf.max(tf.abs(tf.sub(yPred, yTrue)), -1);
    }
    const metric = metrics.get(maxError);
    expect(metric).toBeInstanceOf(FunctionMetric);
    expect(metric.name).toBe('maxError');
    const got = readScalar(
      metric.call(
        tf.tensor([
          [0, 0],
          [0, 0],
        ]),
        tf.tensor([
          [1, -3],
          [2, 0],
        ]),
      ),
    );
    expect(got).toBeCloseTo((3 + 2) / 2, 7);
  });

  it('must be registered to serialize; then round-trips by name', () => {
    const meanPred = (_yTrue: Tensor, yPred: Tensor): Tensor => tf.mean(yPred, -1);
    expect(() => metrics.serialize(meanPred)).toThrow(/register it first with metrics.register/);
    metrics.register('mean_pred', meanPred);
    expect(metrics.get(meanPred).name).toBe('mean_pred');
    expect(metrics.serialize(metrics.get('mean_pred'))).toEqual({
      className: 'mean_pred',
      config: {},
    });
    const back = metrics.deserialize({ className: 'mean_pred', config: {} });
    expect(readScalar(back.call(tf.tensor([[0, 0]]), tf.tensor([[1, 3]])))).toBe(2);
  });

  it('register reserves built-in names and validates its arguments', () => {
    expect(() => metrics.register('acc', () => tf.scalar(1))).toThrow(
      'metrics.register: accuracy names resolve from the loss and cannot be registered. Received: name="acc"',
    );
    expect(() => metrics.register('mae', () => tf.scalar(1))).toThrow(ValueError);
    expect(() => metrics.register('x', {} as never)).toThrow(
      /expected a Metric object or a function/,
    );
  });
});

describe('metrics.serialize / deserialize', () => {
  it('round-trips built-ins through JSON, name and options included', () => {
    const all: Metric[] = [
      metrics.get('accuracy', { loss: 'categorical_crossentropy' }),
      metrics.get('accuracy', { loss: 'sparse_categorical_crossentropy' }),
      metrics.get('accuracy'),
      new BinaryAccuracy({ name: 'acc_03', threshold: 0.3 }),
      metrics.get('mae'),
      metrics.get('binary_crossentropy'),
      new LossMetric(new CategoricalCrossentropy({ fromLogits: true }), 'cce'),
    ];
    for (const metric of all) {
      const json = JSON.parse(JSON.stringify(metrics.serialize(metric)));
      const copy = metrics.deserialize(json);
      expect(copy.constructor).toBe(metric.constructor);
      expect(copy.name).toBe(metric.name);
      expect(copy.className).toBe(metric.className);
      expect(copy.getConfig?.()).toEqual(metric.getConfig?.());
    }
  });

  it('the serialized form of the resolved accuracy keeps its name', () => {
    expect(metrics.serialize(metrics.get('accuracy', { loss: 'binary_crossentropy' }))).toEqual({
      className: 'BinaryAccuracy',
      config: { name: 'accuracy', threshold: 0.5 },
    });
    expect(metrics.serialize(metrics.get('mae'))).toEqual({
      className: 'MeanAbsoluteError',
      config: { name: 'mae' },
    });
  });

  it('deserialize accepts a plain name (with the loss context) and rejects bad configs', () => {
    expect(metrics.deserialize('accuracy', { loss: 'binary_crossentropy' })).toBeInstanceOf(
      BinaryAccuracy,
    );
    expect(() =>
      metrics.deserialize({ className: 'BinaryAccuracy', config: { thresh: 1 } }),
    ).toThrow(/unknown argument.*Received: key="thresh"/);
    expect(() => metrics.deserialize({ className: 'Nope', config: {} })).toThrow(NotFoundError);
  });
});

describe('Keras names for metrics', () => {
  it('knows the upper-case aliases and logs a metric under the name given', () => {
    expect(metrics.get('MSE').name).toBe('MSE');
    expect(metrics.get('MAE').name).toBe('MAE');
    expect(metrics.get('acc', { loss: 'categorical_crossentropy' }).name).toBe('acc');
  });

  it('takes any loss as a metric, and serializes it back', () => {
    const huber = metrics.get('huber');
    expect(huber.name).toBe('huber');
    const value = readScalar(huber.call(tf.tensor([[0, 0]]), tf.tensor([[0.5, 3]])));
    // Huber with delta 1: (0.5·0.25 + (3 - 0.5)) / 2, computed in float64.
    expect(value).toBeCloseTo((0.125 + 2.5) / 2, 6);
    const back = metrics.deserialize(metrics.serialize(huber));
    expect(back.name).toBe('huber');
  });
});
