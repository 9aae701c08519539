import { FormatError, IOError, NotFoundError, ValueError } from '@tessera/core';
import { tempFolder } from '@tessera/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCsv } from './csv.js';

const scratch = tempFolder('tessera-datasets-');
afterAll(() => scratch.cleanup());

const flowers = [
  'sepal_length,sepal_width,species',
  '5.1,3.5,setosa',
  '7.0,3.2,versicolor',
  '',
  '4.9,3.0,setosa',
  '6.3,3.3,virginica',
].join('\n');

describe('loadCsv: reading', () => {
  it('reads numeric features and maps string labels to sorted class ids', () => {
    const path = scratch.file('flowers.csv', flowers);
    const ds = loadCsv(path);
    expect(ds.name).toBe('flowers');
    expect(ds.task).toBe('classification');
    expect(ds.size).toBe(4);
    expect(ds.featureShape).toEqual([2]);
    expect(ds.featureNames).toEqual(['sepal_length', 'sepal_width']);
    expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(ds.targets)).toEqual([0, 1, 0, 2]);
    expect(Array.from(ds.features)).toEqual([5.1, 3.5, 7, 3.2, 4.9, 3, 6.3, 3.3].map(Math.fround));
  });

  it('takes the label column by name or index, and keeps fixed class names', () => {
    const path = scratch.file('label-first.csv', 'kind;a;b\nx;1;2\ny;3;4\nx;5;6\n');
    const byName = loadCsv(path, { label: 'kind', delimiter: ';' });
    const byIndex = loadCsv(path, { label: 0, delimiter: ';' });
    const fromEnd = loadCsv(path, { label: -3, delimiter: ';' });
    for (const ds of [byName, byIndex, fromEnd]) {
      expect(Array.from(ds.features)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(Array.from(ds.targets)).toEqual([0, 1, 0]);
    }
    const fixed = loadCsv(path, { label: 'kind', delimiter: ';', classNames: ['y', 'x'] });
    expect(Array.from(fixed.targets)).toEqual([1, 0, 1]);
  });

  it('detects a missing header and sorts numeric labels numerically', () => {
    const path = scratch.file('plain.csv', '1,2,10\n3,4,2\n5,6,10\n7,8,2\n9,9,2.0\n');
    const ds = loadCsv(path);
    expect(ds.size).toBe(5);
    expect(ds.featureNames).toBeUndefined();
    expect(ds.task).toBe('classification');
    expect(ds.classNames).toEqual(['2', '10']);
    expect(Array.from(ds.targets)).toEqual([1, 0, 1, 0, 0]);
  });

  it('infers regression for real-valued or mostly distinct labels', () => {
    const scores = scratch.file('scores.csv', 'slept,studied,score\n3,5,75\n5,1,82\n10,2,93\n');
    const ds = loadCsv(scores);
    expect(ds.task).toBe('regression');
    expect(ds.targetShape).toEqual([1]);
    expect(Array.from(ds.targets)).toEqual([75, 82, 93]);
    const real = scratch.file('real.csv', 'x,y\n1,0.5\n2,0.5\n3,1.5\n4,1.5\n');
    expect(loadCsv(real).task).toBe('regression');
    expect(loadCsv(real, { task: 'classification' }).classNames).toEqual(['0.5', '1.5']);
  });

  it('honours an explicit header option', () => {
    const path = scratch.file('numbers-header.csv', '1,2,0\n3,4,1\n5,6,0\n7,8,1\n');
    const ds = loadCsv(path, { header: true });
    expect(ds.size).toBe(3);
    expect(ds.featureNames).toEqual(['1', '2']);
  });
});

describe('loadCsv: faults name the file, line and column', () => {
  it('a non-numeric feature cell', () => {
    const path = scratch.file('bad-cell.csv', 'a,b,label\n1,2,x\n3,oops,y\n');
    expect(() => loadCsv(path)).toThrow(FormatError);
    expect(() => loadCsv(path)).toThrow(
      `${path}, line 3, column 2 ("b"): expected a number. Received: cell="oops"`,
    );
    const noHeader = scratch.file('bad-cell-plain.csv', '1,2,x\n3,,y\n');
    expect(() => loadCsv(noHeader)).toThrow(
      `${noHeader}, line 2, column 2: expected a number. Received: cell=""`,
    );
  });

  it('a ragged row', () => {
    const path = scratch.file('ragged.csv', 'a,b,label\n1,2,x\n\n3,4\n');
    expect(() => loadCsv(path)).toThrow(
      `${path}, line 4: ragged row; expected 3 columns as in the header. Received: columns=2`,
    );
  });

  it('an empty file, and a header without rows', () => {
    const empty = scratch.file('empty.csv', '\n  \n');
    expect(() => loadCsv(empty)).toThrow(`${empty}: the file is empty`);
    const headerOnly = scratch.file('header-only.csv', 'a,b,label\n');
    expect(() => loadCsv(headerOnly)).toThrow(`${headerOnly}: no data rows after the header`);
  });

  it('a missing label column, by name or index', () => {
    const path = scratch.file('labels.csv', flowers);
    expect(() => loadCsv(path, { label: 'specie' })).toThrow(NotFoundError);
    expect(() => loadCsv(path, { label: 'specie' })).toThrow(
      `${path}: no label column named "specie"; the header has "sepal_length", "sepal_width", "species"`,
    );
    expect(() => loadCsv(path, { label: 3 })).toThrow(
      `${path}: the label column index must be an integer in [-3, 3) for 3 columns. Received: label=3`,
    );
    expect(() => loadCsv(path, { label: 'species', header: false })).toThrow(ValueError);
  });

  it('a single class', () => {
    const path = scratch.file('one-class.csv', 'a,b,species\n1,2,setosa\n3,4,setosa\n');
    expect(() => loadCsv(path)).toThrow(
      `${path}, column 3 ("species"): classification needs at least 2 classes, but every row has the label "setosa"`,
    );
  });

  it('a label that is not a known class, a non-numeric regression target, an empty label', () => {
    const path = scratch.file('unknown-class.csv', flowers);
    expect(() => loadCsv(path, { classNames: ['setosa', 'versicolor'] })).toThrow(
      `${path}, line 6, column 3 ("species"): label "virginica" is not one of the classes`,
    );
    expect(() => loadCsv(path, { task: 'regression' })).toThrow(
      `${path}, line 2, column 3 ("species"): a regression target must be a number. Received: cell="setosa"`,
    );
    const blank = scratch.file('blank-label.csv', 'a,label\n1,x\n2,\n3,y\n');
    expect(() => loadCsv(blank)).toThrow(
      `${blank}, line 3, column 2 ("label"): the label is empty`,
    );
  });

  it('malformed CSV and a missing file', () => {
    const quote = scratch.file('quote.csv', 'a,b\n1,"2\n3,4\n');
    expect(() => loadCsv(quote)).toThrow(`${quote}, line 3: not valid CSV`);
    expect(() => loadCsv(`${scratch.dir}/missing.csv`)).toThrow(IOError);
  });
});
