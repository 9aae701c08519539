import { NotFoundError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { registerLayer } from '../engine/layer-registry.js';
import { Dense } from '../layers/dense.js';
import { losses } from '../losses/index.js';
import { metrics } from '../metrics/index.js';
import { optimizers } from '../optimizers/index.js';
import { closestName } from './suggest.js';

describe('closestName', () => {
  it('matches across case, underscores and small typos', () => {
    expect(closestName('MeanSquaredError', ['mean_squared_error', 'mse'])).toBe(
      'mean_squared_error',
    );
    expect(closestName('relux', ['relu', 'elu', 'selu'])).toBe('relu');
    expect(closestName('zzzz', ['relu', 'elu'])).toBeUndefined();
    expect(closestName('nmae', ['name', 'seed'])).toBe('name');
    expect(closestName('dtpye', ['dtype', 'shape'])).toBe('dtype');
  });
});

describe('every registry: one "did you mean" error and one override rule', () => {
  it('suggests the closest name for losses, metrics, optimizers', () => {
    expect(() => losses.get('mean_sqared_error')).toThrow(NotFoundError);
    expect(() => losses.get('mean_sqared_error')).toThrow(/did you mean "mean_squared_error"\?/);
    expect(() => metrics.get('binary_acuracy')).toThrow(/did you mean "binary_accuracy"\?/);
    expect(() => optimizers.get('adamm')).toThrow(/did you mean "Adam"\?/);
  });

  it('registering the same object twice is harmless; another needs override', () => {
    const first = (t: tf.Tensor, p: tf.Tensor) => tf.sub(t, p);
    const second = (t: tf.Tensor, p: tf.Tensor) => tf.add(t, p);
    losses.register('suggest_test_loss', first);
    losses.register('suggest_test_loss', first);
    expect(() => losses.register('suggest_test_loss', second)).toThrow(ValueError);
    losses.register('suggest_test_loss', second, { override: true });
    expect(losses.serialize(losses.get(second))).toEqual({
      className: 'suggest_test_loss',
      config: {},
    });
    metrics.register('suggest_test_metric', first);
    metrics.register('suggest_test_metric', first);
    expect(() => metrics.register('suggest_test_metric', second)).toThrow(/override: true/);
    registerLayer(Dense);
    expect(() => registerLayer(class Other extends Dense {}, { name: 'Dense' })).toThrow(
      /already registered/,
    );
  });
});
