import { FormatError } from '@tessera/core';
import { tempFolder } from '@tessera/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCsv } from './csv.js';
import { decodeCsvText, parseCsvNumber, quoteCell } from './csv-number.js';

describe('parseCsvNumber', () => {
  it('reads decimal numbers', () => {
    expect(parseCsvNumber('-1.5e3', 'f.csv, line 2, column 1')).toBe(-1500);
    expect(parseCsvNumber('3.4e38', 'w')).toBeCloseTo(3.4e38, -30);
  });

  it.each(['1e400', '-1e400', '4e38', '9'.repeat(5000)])('rejects %s, which overflows', (cell) => {
    expect(() => parseCsvNumber(cell, 'f.csv, line 2, column 3')).toThrow(
      /^f\.csv, line 2, column 3: the number is too large and would become -?Infinity/,
    );
  });

  it.each(['Infinity', 'NaN', '0x10', '', '1,5'])('rejects %j, which is no number', (cell) => {
    expect(() => parseCsvNumber(cell, 'w')).toThrow(FormatError);
  });

  it('quotes long cells by their start and length', () => {
    expect(quoteCell('9'.repeat(5_000_000))).toBe(`"${'9'.repeat(24)}"… (5000000 characters)`);
  });
});

describe('decodeCsvText', () => {
  it('names the line of a byte that is not UTF-8', () => {
    const bytes = Uint8Array.from([...Buffer.from('a,b\n1,caf'), 0xe9, ...Buffer.from('\n')]);
    expect(() => decodeCsvText(bytes, 'x.csv')).toThrow(/^x\.csv, line 2: not valid UTF-8 text/);
    expect(decodeCsvText(Buffer.from('a,é\n'), 'x.csv')).toBe('a,é\n');
  });
});

describe('loadCsv with hostile cells', () => {
  const tmp = tempFolder('tessera-datasets-');
  afterAll(() => tmp.cleanup());

  it('rejects an overflowing feature and target naming file, line and column', () => {
    const features = tmp.file('f.csv', 'a,b,y\n1,2,3\n1,1e400,4\n');
    expect(() => loadCsv(features, { task: 'regression' })).toThrow(
      /f\.csv, line 3, column 2 \("b"\): the number is too large/,
    );
    const targets = tmp.file('t.csv', `a,y\n1,3\n2,${'9'.repeat(400)}\n`);
    expect(() => loadCsv(targets, { task: 'regression' })).toThrow(
      /t\.csv, line 3, column 2 \("y"\): the number is too large/,
    );
  });

  it('rejects a label that is not UTF-8', () => {
    const path = tmp.file(
      'latin1.csv',
      Buffer.concat([Buffer.from('1,2,caf'), Buffer.from([0xe9]), Buffer.from('\n3,4,tea\n')]),
    );
    expect(() => loadCsv(path)).toThrow(/latin1\.csv, line 1: not valid UTF-8 text/);
  });
});
