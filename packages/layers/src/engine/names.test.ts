import { describe, expect, it } from 'vitest';
import { clearSession, layers } from '../index.js';
import { toSnakeCase, uniqueName } from './names.js';

describe('automatic names', () => {
  it('convert class names to snake_case as Keras does', () => {
    expect(toSnakeCase('Dense')).toBe('dense');
    expect(toSnakeCase('LeakyReLU')).toBe('leaky_re_lu');
    expect(toSnakeCase('ReLU')).toBe('re_lu');
    expect(toSnakeCase('ELU')).toBe('elu');
    expect(toSnakeCase('InputLayer')).toBe('input_layer');
    expect(toSnakeCase('Functional')).toBe('functional');
  });

  it("count per prefix: 'x', 'x_1', 'x_2'; clearSession starts again", () => {
    clearSession();
    expect([uniqueName('x'), uniqueName('x'), uniqueName('y'), uniqueName('x')]).toEqual([
      'x',
      'x_1',
      'y',
      'x_2',
    ]);
    clearSession();
    expect(layers.dense({ units: 1 }).name).toBe('dense');
    expect(layers.dense({ units: 1 }).name).toBe('dense_1');
    expect(layers.dense({ units: 1, name: 'mine' }).name).toBe('mine');
    expect(layers.dense({ units: 1 }).name).toBe('dense_2');
  });

  it('reject an empty name', () => {
    expect(() => layers.dense({ units: 1, name: '' })).toThrow(
      'Dense: name must be a non-empty string. Received: name=""',
    );
  });
});
