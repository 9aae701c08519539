import { FormatError, ShapeError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Dataset } from './dataset.js';
import { fitNormalizer, Normalizer } from './normalizer.js';

// Two columns; the second is constant. Features read as value * 0.5.
function table(values: number[], featureScale = 1): Dataset {
  return new Dataset({
    name: 't',
    task: 'regression',
    featureShape: [2],
    features: Float32Array.from(values),
    featureScale,
    targets: new Float32Array(values.length / 2),
  });
}

const train = table([2, 7, 4, 7, 6, 7, -4, 7]);

describe('fitNormalizer', () => {
  it('standard: subtracts the mean and divides by the population standard deviation', () => {
    const norm = fitNormalizer(train, { method: 'standard' });
    // column 0: mean (2+4+6-4)/4 = 2; deviations 0,2,4,-6 → variance 56/4 = 14
    expect(norm.offset[0]).toBe(2);
    expect(norm.scale[0]).toBeCloseTo(Math.sqrt(14), 12);
    expect(norm.offset[1]).toBe(7);
    expect(norm.scale[1]).toBe(1); // constant column: no division by zero
    const out = norm.apply(train);
    expect(out.features[2]).toBeCloseTo(2 / Math.sqrt(14), 6);
    expect(out.features[3]).toBe(0);
    expect(out.featureScale).toBe(1);
    expect(out.targets).toBe(train.targets);
  });

  it('minmax maps the training range to [0, 1]; max divides by the largest magnitude', () => {
    const minmax = fitNormalizer(train, { method: 'minmax' });
    expect(minmax.offset).toEqual([-4, 7]);
    expect(minmax.scale).toEqual([10, 1]);
    expect(Array.from(minmax.apply(train).features.filter((_, i) => i % 2 === 0))).toEqual(
      [0.6, 0.8, 1, 0].map(Math.fround),
    );
    const max = fitNormalizer(train, { method: 'max' });
    expect(max.offset).toEqual([0, 0]);
    expect(max.scale).toEqual([6, 7]);
  });

  it('works on scaled (read) values and applies the training statistics to test data', () => {
    const halfScaled = table([4, 14, 8, 14, 12, 14, -8, 14], 0.5);
    const norm = fitNormalizer(halfScaled, { method: 'minmax' });
    expect(norm.offset).toEqual([-4, 7]);
    const test = table([16, 7], 1);
    expect(Array.from(norm.apply(test).features)).toEqual([2, 0]);
    expect(Array.from(norm.transform([1, 8]))).toEqual([0.5, 1]);
  });

  it('round-trips its config through JSON', () => {
    const norm = fitNormalizer(train, { method: 'standard' });
    const restored = Normalizer.fromJSON(JSON.parse(JSON.stringify(norm.toJSON())));
    expect(restored.toJSON()).toEqual(norm.toJSON());
    expect(Array.from(restored.apply(train).features)).toEqual(
      Array.from(norm.apply(train).features),
    );
  });

  it('rejects bad methods, bad configs and other shapes', () => {
    expect(() => fitNormalizer(train, { method: 'zscore' as never })).toThrow(
      'Received: method="zscore"',
    );
    const config = fitNormalizer(train, { method: 'max' }).toJSON();
    expect(() => Normalizer.fromJSON({ ...config, scale: [1, 0] })).toThrow(FormatError);
    expect(() => Normalizer.fromJSON({ ...config, offset: [1] })).toThrow(
      'offset must be 2 finite numbers',
    );
    const wide = new Dataset({
      name: 'w',
      task: 'regression',
      featureShape: [3],
      features: new Float32Array(3),
      targets: new Float32Array(1),
    });
    expect(() => fitNormalizer(train, { method: 'max' }).apply(wide)).toThrow(ShapeError);
    expect(() => fitNormalizer(train, { method: 'max' }).transform([1, 2, 3])).toThrow(
      'Received: values.length=3',
    );
  });
});
