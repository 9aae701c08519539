import { describe, expect, it } from 'vitest';
import { blobs, emptyBlobs } from '../testing/fixtures.js';
import { splitValidation, validationSplitSizes } from './split.js';

describe('validationSplitSizes', () => {
  it('keeps the first ⌊n·(1 − fraction)⌋ rows for training, as Keras', () => {
    // ⌊48·0.2⌋ = 9 would be one row short of what is held out.
    expect(validationSplitSizes(48, 0.2)).toEqual({ train: 38, validation: 10 });
    expect(validationSplitSizes(16, 0.3)).toEqual({ train: 11, validation: 5 });
    expect(validationSplitSizes(120, 0.2)).toEqual({ train: 96, validation: 24 });
    expect(validationSplitSizes(60_000, 0.1)).toEqual({ train: 54_000, validation: 6_000 });
    expect(validationSplitSizes(7, 0)).toEqual({ train: 7, validation: 0 });
    expect(validationSplitSizes(0, 0.5)).toEqual({ train: 0, validation: 0 });
  });

  it('refuses counts and fractions it cannot split', () => {
    expect(() => validationSplitSizes(4.5, 0.1)).toThrow(
      'validationSplitSizes: examples must be a non-negative integer. Received: examples=4.5',
    );
    expect(() => validationSplitSizes(10, 1)).toThrow(
      'validationSplitSizes: fraction must be a number in [0, 1). Received: fraction=1',
    );
  });
});

describe('splitValidation', () => {
  it('holds out the rows validationSplitSizes counts, from the end', () => {
    const data = blobs(48);
    const { train, validation } = splitValidation(data, 0.2, undefined);
    expect(train.size).toBe(38);
    expect(validation?.size).toBe(10);
    expect(Array.from(validation!.targets)).toEqual(Array.from(data.targets.subarray(38)));
  });

  it('refuses data without rows, as model.fit does', () => {
    const empty = emptyBlobs();
    for (const [fraction, explicit] of [
      [0, undefined],
      [0.2, undefined],
      [0, blobs(4)],
    ] as const) {
      expect(() => splitValidation(empty, fraction, explicit)).toThrow(
        'fit: needs at least one training row. Received: rows=0',
      );
    }
  });
});
