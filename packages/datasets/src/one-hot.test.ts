import { describe, expect, it } from 'vitest';
import { oneHot } from './one-hot.js';

describe('oneHot', () => {
  it('puts a single 1 per row at the label', () => {
    expect(Array.from(oneHot([2, 0, 1], 3))).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(oneHot(Int32Array.from([]), 4).length).toBe(0);
  });

  it('rejects labels outside [0, numClasses) and a bad class count', () => {
    expect(() => oneHot([0, 3], 3)).toThrow(
      'oneHot: labels must be integers in [0, 3). Received: labels[1]=3',
    );
    expect(() => oneHot([0.5], 3)).toThrow('Received: labels[0]=0.5');
    expect(() => oneHot([0], 0)).toThrow('Received: numClasses=0');
  });
});
