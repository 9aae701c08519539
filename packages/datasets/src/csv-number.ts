/**
 * The number cells and text of CSV files, shared by `loadCsv` and the CLI's prediction
 * input: a cell is a decimal number that stays finite in float32 (`1e400` or a
 * 5,000,000-digit integer would silently become ±Infinity and train to NaN), and a file is
 * strict UTF-8 (a stray byte must not become U+FFFD inside a class name).
 *
 * ```ts
 * parseCsvNumber('1e400', 'scores.csv, line 3, column 2'); // throws FormatError
 * ```
 */
import { FormatError } from '@tessera/core';

/** A plain decimal number: no `Infinity`, `NaN`, hex or empty cells. */
export const CSV_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Largest finite float32 magnitude (features and targets are stored as float32). */
const FLOAT32_MAX = 3.4028234663852886e38;

/** True for a cell that reads as a number (finite or not). */
export function isCsvNumber(cell: string): boolean {
  return CSV_NUMBER.test(cell);
}

/** A cell for a message: short cells whole, long ones cut with their length. */
export function quoteCell(cell: string): string {
  return cell.length <= 40
    ? JSON.stringify(cell)
    : `${JSON.stringify(cell.slice(0, 24))}… (${cell.length} characters)`;
}

/**
 * The value of a number cell; `where` (file, line, column) starts every message. Throws
 * for text and for numbers beyond float32's range.
 */
export function parseCsvNumber(cell: string, where: string): number {
  if (!CSV_NUMBER.test(cell))
    throw new FormatError(`${where}: expected a number. Received: cell=${quoteCell(cell)}`);
  const value = Number(cell);
  if (!(Math.abs(value) <= FLOAT32_MAX)) {
    throw new FormatError(
      `${where}: the number is too large and would become ${value < 0 ? '-' : ''}Infinity (the largest is about 3.4e38). Received: cell=${quoteCell(cell)}`,
    );
  }
  return value;
}

/** Decodes a file's bytes as strict UTF-8; an invalid byte fails naming its line. */
export function decodeCsvText(bytes: Uint8Array, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
      } catch {
        break;
      }
      line++;
      start = i + 1;
    }
    throw new FormatError(
      `${path}, line ${line}: not valid UTF-8 text; save the file as UTF-8 (a byte of another encoding would turn into a replacement character)`,
    );
  }
}
