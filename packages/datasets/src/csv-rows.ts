/**
 * The CSV reading shared by `loadCsv` and the CLI's `predict --input`: csv-parse with a
 * byte-order mark allowed, cells trimmed, empty lines skipped and rows of any width kept,
 * each row with the 1-based file line it ends on.
 *
 * ```ts
 * const rows = parseCsvRows('a,b\n1,2\n'); // [{ cells: ['a', 'b'], line: 1 }, { cells: ['1', '2'], line: 2 }]
 * ```
 */
import { parse } from 'csv-parse/sync';

/** One record of a CSV text. */
export interface CsvRow {
  /** The record's cells, trimmed. */
  cells: string[];
  /** The 1-based line of the text the record ends on. */
  line: number;
}

/** Options of {@link parseCsvRows}. */
export interface CsvRowsOptions {
  /** Field delimiter. Default ','. */
  delimiter?: string;
}

/**
 * The records of `text` (see the module comment); throws csv-parse's error, which has a
 * `lines` field, for text that is not valid CSV.
 */
export function parseCsvRows(text: string, options: CsvRowsOptions = {}): CsvRow[] {
  const records = parse(text, {
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    bom: true,
    info: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  return records.map(({ record, info }) => ({ cells: record, line: info.lines }));
}
