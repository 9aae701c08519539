/**
 * Reads the CSV that `tessera predict --input` takes: one row per example, the model's
 * feature columns, a header optional.
 *
 * - Header: present when a cell of the first row is not a number.
 * - With a header, columns are matched to the model's features by name (ignoring case and
 *   separators), or by position when no name matches and the count does (with a note);
 *   see header-columns.ts. The training label column (or one named `label`) is ignored.
 * - Without a header, each row must hold exactly the features, in training order.
 * - Every feature cell must be a number; every row must be as wide as the first.
 * Errors name the file, and where it applies the line and the column.
 */
import { readFile } from 'node:fs/promises';
import { FormatError, IOError } from '@tessera/core';
import {
  type CsvRow,
  decodeCsvText,
  isCsvNumber,
  parseCsvNumber,
  parseCsvRows,
} from '@tessera/datasets';
import { describeFileError } from '../errors.js';
import { requireRegularFile } from '../input-file.js';
import { headerColumns } from './header-columns.js';

/** What the model expects of the input. */
export interface PredictInputArgs {
  /** The CSV file. */
  path: string;
  /** Values per example the model takes (flattened). */
  featureSize: number;
  /** Names of the feature columns in training order, when the training data had them. */
  featureNames?: readonly string[] | undefined;
  /** Name of the training label column, ignored when present. */
  labelName?: string | undefined;
}

/** The examples read. */
export interface PredictInput {
  /** Number of examples (data rows). */
  rows: number;
  /** rows × featureSize values, row after row, in the model's feature order. */
  features: Float32Array;
  /** One line for stderr when the columns were taken by position, not by name. */
  note?: string;
}

async function readRows(path: string): Promise<CsvRow[]> {
  requireRegularFile(path, '--input');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    const err = cause as NodeJS.ErrnoException;
    throw new IOError(
      `--input ${typeof err.code === 'string' ? describeFileError(err) : `${path}: ${err.message}`}`,
      {
        cause,
      },
    );
  }
  const text = decodeCsvText(bytes, path);
  if (text.trim() === '')
    throw new FormatError(`${path}: the file is empty; expected CSV rows of feature values`);
  try {
    return parseCsvRows(text);
  } catch (cause) {
    throw new FormatError(`${path}: not valid CSV: ${(cause as Error).message}`, { cause });
  }
}

/** Reads and checks the input CSV; see the module comment. */
export async function readPredictInput(args: PredictInputArgs): Promise<PredictInput> {
  const { path, featureSize } = args;
  const rows = await readRows(path);
  const first = rows[0]!;
  const header = first.cells.some((cell) => !isCsvNumber(cell));
  const data = header ? rows.slice(1) : rows;
  if (data.length === 0)
    throw new FormatError(`${path}: no data rows${header ? ' after the header' : ''}`);
  const width = first.cells.length;
  for (const row of data) {
    if (row.cells.length !== width) {
      throw new FormatError(
        `${path}, line ${row.line}: ragged row; expected ${width} columns as on line ${first.line}. Received: columns=${row.cells.length}`,
      );
    }
  }
  let columns: number[];
  let note: string | undefined;
  if (header) {
    ({ columns, note } = headerColumns({ ...args, header: first.cells }));
  } else {
    if (width !== featureSize) {
      throw new FormatError(
        `${path}: expected ${featureSize} feature values per row (a label column is dropped only when a header names it). Received: columns=${width}`,
      );
    }
    columns = Array.from({ length: width }, (_, i) => i);
  }
  const features = new Float32Array(data.length * featureSize);
  data.forEach((row, r) => {
    columns.forEach((c, j) => {
      const name = header ? ` ("${first.cells[c]}")` : '';
      features[r * featureSize + j] = parseCsvNumber(
        row.cells[c]!,
        `${path}, line ${row.line}, column ${c + 1}${name}`,
      );
    });
  });
  return { rows: data.length, features, ...(note === undefined ? {} : { note }) };
}
