import { describe, expect, it } from 'vitest';
import { parseCsvRows } from './csv-rows.js';

describe('parseCsvRows', () => {
  it('drops a BOM, trims cells, skips empty lines and keeps ragged rows with their lines', () => {
    const text = '\uFEFFa , b\n\n 1,2,3\n"x\ny",4\n';
    expect(parseCsvRows(text)).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: ['1', '2', '3'], line: 3 },
      { cells: ['x\ny', '4'], line: 5 },
    ]);
  });

  it('splits on the given delimiter', () => {
    expect(parseCsvRows('1;2\n3;4', { delimiter: ';' })).toEqual([
      { cells: ['1', '2'], line: 1 },
      { cells: ['3', '4'], line: 2 },
    ]);
  });

  it("throws csv-parse's error, with the line, for invalid CSV", () => {
    let error: unknown;
    try {
      parseCsvRows('a,b\n1,"2\n');
    } catch (cause) {
      error = cause;
    }
    expect(error).toBeInstanceOf(Error);
    // The quote opens on line 2 and is never closed.
    expect(error).toMatchObject({ code: 'CSV_QUOTE_NOT_CLOSED', lines: 2 });
  });
});
