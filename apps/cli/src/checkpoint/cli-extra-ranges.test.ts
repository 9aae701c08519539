import { loadIris } from '@tessera/datasets';
import { describe, expect, it } from 'vitest';
import { dataFacts, readCliExtra } from './cli-extra.js';

const iris = loadIris({ split: 'train' });
const facts = dataFacts({ kind: 'builtin', ref: 'iris' }, iris, 'species');

/** Smallest or largest value of column j, computed the plain way. */
function column(j: number, pick: (...xs: number[]) => number): number {
  const values = Array.from({ length: iris.size }, (_, i) => iris.features[i * 4 + j]!);
  return Number(pick(...values).toPrecision(7));
}
const extra = (data: unknown) => ({
  format: 'tessera-cli',
  version: 2,
  model: { kind: 'builtin', ref: 'iris-mlp' },
  customObjectNames: [],
  data,
});

describe('the feature ranges of a checkpoint', () => {
  it('are recorded for tabular data, 7 significant digits, and read back', () => {
    expect(facts.featureRanges?.min).toEqual([0, 1, 2, 3].map((j) => column(j, Math.min)));
    expect(facts.featureRanges?.max).toEqual([0, 1, 2, 3].map((j) => column(j, Math.max)));
    // float32 noise is gone: 4.4 rather than 4.400000095367432.
    expect(facts.featureRanges?.min.every((v) => String(v).length < 9)).toBe(true);
    expect(readCliExtra(extra(facts), 'a.tsr').data.featureRanges).toEqual(facts.featureRanges);
  });

  it.each([
    ['too few values', { min: [1, 2], max: [3, 4] }],
    ['a non-number', { min: [1, 2, 3, 'x'], max: [1, 2, 3, 4] }],
    ['no max', { min: [1, 2, 3, 4] }],
    ['null', null],
  ])('are refused with %s', (_, ranges) => {
    expect(() => readCliExtra(extra({ ...facts, featureRanges: ranges }), 'a.tsr')).toThrow(
      /a\.tsr: its record of the training data is incomplete/,
    );
  });
});
