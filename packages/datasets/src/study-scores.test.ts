import { describe, expect, it } from 'vitest';
import { loadStudyScores } from './study-scores.js';

describe('loadStudyScores', () => {
  it("holds the course's table raw: [3,5]→75, [5,1]→82, [10,2]→93", () => {
    const raw = loadStudyScores({ normalize: false });
    expect(raw.task).toBe('regression');
    expect(raw.size).toBe(3);
    expect(raw.featureShape).toEqual([2]);
    expect(raw.targetShape).toEqual([1]);
    expect(Array.from(raw.features)).toEqual([3, 5, 5, 1, 10, 2]);
    expect(Array.from(raw.targets)).toEqual([75, 82, 93]);
  });

  it('normalizes as the course does: X / column max (10 and 5), y / 100', () => {
    const ds = loadStudyScores();
    const expected = [0.3, 1, 0.5, 0.2, 1, 0.4];
    expected.forEach((v, i) => {
      expect(ds.features[i]).toBeCloseTo(v, 6);
    });
    [0.75, 0.82, 0.93].forEach((v, i) => {
      expect(ds.targets[i]).toBeCloseTo(v, 6);
    });
    expect(ds.featureNames).toEqual(['hours_slept', 'hours_studied']);
    const { y } = ds.toTensors();
    expect(y.shape).toEqual([3, 1]);
    y.dispose();
  });

  it("has no separate test set: 'test' is the same table", () => {
    expect(Array.from(loadStudyScores({ split: 'test' }).targets)).toEqual(
      Array.from(loadStudyScores().targets),
    );
    expect(() => loadStudyScores({ split: 'all' as never })).toThrow('Received: split="all"');
  });
});
