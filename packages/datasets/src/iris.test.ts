import { describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.js';
import { loadIris } from './iris.js';

function counts(ds: Dataset): number[] {
  return [0, 1, 2].map((k) => ds.targets.filter((t) => t === k).length);
}

describe('loadIris', () => {
  it('has 150 rows of 4 measurements and 50 of each named species', () => {
    const iris = loadIris();
    expect(iris.size).toBe(150);
    expect(iris.featureShape).toEqual([4]);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(counts(iris)).toEqual([50, 50, 50]);
    // Fisher's first and last rows.
    expect(Array.from(iris.features.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect(iris.targets[0]).toBe(0);
    expect(Array.from(iris.features.subarray(596, 600))).toEqual(
      [5.9, 3.0, 5.1, 1.8].map(Math.fround),
    );
    expect(iris.targets[149]).toBe(2);
  });

  it('cuts a fixed stratified 120/30 split, disjoint and reproducible', () => {
    const train = loadIris({ split: 'train' });
    const test = loadIris({ split: 'test' });
    expect(counts(train)).toEqual([40, 40, 40]);
    expect(counts(test)).toEqual([10, 10, 10]);
    expect(Array.from(loadIris({ split: 'train' }).features)).toEqual(Array.from(train.features));
    const rows = (ds: Dataset) =>
      Array.from({ length: ds.size }, (_, i) =>
        Array.from(ds.features.subarray(i * 4, i * 4 + 4)).join(),
      );
    const all = [...rows(train), ...rows(test)].sort();
    expect(all).toEqual(rows(loadIris()).sort());
  });

  it('loads into shared memory on request', () => {
    expect(loadIris({ shared: true }).shared).toBe(true);
  });
});
