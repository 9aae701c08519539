import { describe, expect, it } from 'vitest';
import { headerColumns, nameKey } from './header-columns.js';

const featureNames = ['SepalLength', 'SepalWidth', 'PetalLength', 'PetalWidth'];
const base = { path: 'in.csv', featureSize: 4, featureNames, labelName: 'Species' };

describe('headerColumns', () => {
  it('compares names ignoring case and separators', () => {
    expect(nameKey('sepal_length')).toBe(nameKey('SepalLength'));
    expect(nameKey('Sepal Length')).toBe('sepallength');
    expect(nameKey('petal-width')).not.toBe(nameKey('sepal_width'));
  });

  it('matches snake_case names to the model’s names, in any order, and drops the label', () => {
    const header = ['petal_width', 'species', 'sepal_length', 'petal_length', 'sepal_width'];
    expect(headerColumns({ ...base, header })).toEqual({ columns: [2, 4, 3, 0] });
  });

  it('takes the columns by position with a note when no name matches but the count does', () => {
    const header = ['a', 'b', 'c', 'd', 'label'];
    const { columns, note } = headerColumns({ ...base, header });
    expect(columns).toEqual([0, 1, 2, 3]);
    expect(note).toBe(
      'note: in.csv: no header name matches the model\'s features "SepalLength", "SepalWidth", "PetalLength", "PetalWidth"; reading the 4 columns "a", "b", "c", "d" by position',
    );
  });

  it('refuses a header that names some features but not all, even when the count matches', () => {
    const header = ['PetalWidth', 'SepalLength', 'SepalWidth', 'colour'];
    expect(() => headerColumns({ ...base, header })).toThrow(
      /^in\.csv: the header lacks the feature column\(s\) "PetalLength"; the model takes "SepalLength", .* \(a "Species" column is ignored\), matched by name ignoring case and separators, or by position when no column is named after a feature and there are exactly 4\. Received: header=\["PetalWidth","SepalLength","SepalWidth","colour"\]$/,
    );
  });

  it('refuses unmatched names when the count differs', () => {
    expect(() => headerColumns({ ...base, header: ['a', 'b', 'c'] })).toThrow(
      /lacks the feature column\(s\) "SepalLength", "SepalWidth", "PetalLength", "PetalWidth"/,
    );
    expect(() => headerColumns({ ...base, header: [...featureNames, 'colour'] })).toThrow(
      /unexpected column\(s\) "colour"/,
    );
  });

  it('without known names, needs exactly the feature count', () => {
    const header = ['x', 'y', 'label'];
    expect(headerColumns({ path: 'in.csv', featureSize: 2, header })).toEqual({ columns: [0, 1] });
    expect(() => headerColumns({ path: 'in.csv', featureSize: 3, header })).toThrow(
      'in.csv: expected 3 feature columns (plus an optional label column). Received: columns=2',
    );
  });
});
