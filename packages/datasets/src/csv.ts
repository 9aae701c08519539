/**
 * Tabular data from a CSV file (parsed with csv-parse): numeric feature columns and one
 * label column. Every error names the file, and where it applies the line and the column.
 *
 * Rules:
 * - `label`: a column name (needs a header) or a 0-based index (negative counts from the
 *   end); default: the last column. All other columns are features and must be numbers.
 * - `header`: when absent, the first row is a header if `label` is a name, or if one of its
 *   cells is not a number where the second row's cell is one.
 * - `task`: when absent, classification if any label is not a number, or if the labels are
 *   integers with at most 20 distinct values and each value occurs twice on average
 *   (distinct * 2 <= rows); otherwise regression.
 * - Class ids: given `classNames` fix the mapping (use the training set's names for a test
 *   file); otherwise the distinct labels sorted — numerically when all are numbers (names
 *   are then the canonical numbers, so "1" and "1.0" are one class), else by UTF-16 code
 *   units — so the mapping does not depend on row order. At least two classes are needed.
 * - In messages, lines are the file's 1-based line numbers and columns are 1-based.
 *
 * ```ts
 * const iris = loadCsv('iris.csv', { label: 'species' });
 * ```
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { FormatError, IOError, NotFoundError, received, ValueError } from '@tessera/core';
import { allocate } from './buffers.js';
import { decodeCsvText, isCsvNumber, parseCsvNumber, quoteCell } from './csv-number.js';
import { type CsvRow, parseCsvRows } from './csv-rows.js';
import { Dataset, type Task } from './dataset.js';

/** Options for `loadCsv`. */
export interface CsvLoadOptions {
  /** Label column: name (needs a header) or 0-based index, negative from the end. Default: last. */
  label?: string | number;
  /** Whether the first row names the columns. Default: detected (see the module comment). */
  header?: boolean;
  /** Field delimiter. Default ','. */
  delimiter?: string;
  /** 'classification' or 'regression'. Default: inferred (see the module comment). */
  task?: Task;
  /** Class names in id order, e.g. the training set's, so a test file maps labels the same way. */
  classNames?: readonly string[];
  /** Dataset name. Default: the file name without extension. */
  name?: string;
  /** Load into SharedArrayBuffers, ready for worker threads. Default false. */
  shared?: boolean;
}

/** Most distinct integer labels still read as classes when `task` is inferred. */
export const CSV_MAX_INFERRED_CLASSES = 20;

const isNumber = isCsvNumber;

function readRows(path: string, delimiter: string): CsvRow[] {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new IOError(`loadCsv: cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  const text = decodeCsvText(bytes, path);
  if (text.trim() === '') {
    throw new FormatError(
      `${path}: the file is empty; expected rows of comma-separated values. Received: bytes=${text.length}`,
    );
  }
  try {
    return parseCsvRows(text, { delimiter });
  } catch (cause) {
    const line = (cause as { lines?: number }).lines;
    throw new FormatError(
      `${path}${line === undefined ? '' : `, line ${line}`}: not valid CSV: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}

function detectHeader(rows: CsvRow[], label: string | number | undefined): boolean {
  if (typeof label === 'string') return true;
  const [first, second] = rows;
  if (first === undefined) return false;
  if (second === undefined) return !first.cells.every(isNumber);
  return first.cells.some((cell, c) => !isNumber(cell) && isNumber(second.cells[c] ?? ''));
}

function resolveLabel(
  path: string,
  label: string | number | undefined,
  names: string[] | undefined,
  width: number,
): number {
  if (label === undefined) return width - 1;
  if (typeof label === 'string') {
    const index = names?.indexOf(label) ?? -1;
    if (names === undefined) {
      throw new ValueError(
        received(`${path}: a label column given by name needs a header row`, 'label', label),
      );
    }
    if (index < 0) {
      throw new NotFoundError(
        `${path}: no label column named "${label}"; the header has ${names.map((n) => `"${n}"`).join(', ')}. Received: label="${label}"`,
      );
    }
    return index;
  }
  if (!Number.isInteger(label) || label < -width || label >= width) {
    throw new NotFoundError(
      received(
        `${path}: the label column index must be an integer in [${-width}, ${width}) for ${width} columns`,
        'label',
        label,
      ),
    );
  }
  return label < 0 ? width + label : label;
}

function inferTask(labels: string[]): Task {
  if (!labels.every(isNumber)) return 'classification';
  const values = labels.map(Number);
  const distinct = new Set(values).size;
  const integers = values.every(Number.isInteger);
  return integers && distinct <= CSV_MAX_INFERRED_CLASSES && distinct * 2 <= labels.length
    ? 'classification'
    : 'regression';
}

/** Reads a CSV file into a Dataset; see the module comment for the rules. */
export function loadCsv(path: string, options: CsvLoadOptions = {}): Dataset {
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter === '') {
    throw new ValueError(
      received('loadCsv: delimiter must be a non-empty string', 'delimiter', delimiter),
    );
  }
  if (
    options.task !== undefined &&
    options.task !== 'classification' &&
    options.task !== 'regression'
  ) {
    throw new ValueError(
      received("loadCsv: task must be 'classification' or 'regression'", 'task', options.task),
    );
  }
  const rows = readRows(path, delimiter);
  const header = options.header ?? detectHeader(rows, options.label);
  const names = header ? rows[0]!.cells : undefined;
  const data = header ? rows.slice(1) : rows;
  if (data.length === 0) {
    throw new FormatError(
      `${path}: no data rows${header ? ' after the header' : ''}. Received: rows=0`,
    );
  }
  const width = (names ?? data[0]!.cells).length;
  const widthFrom = header ? 'the header' : `line ${data[0]!.line}`;
  for (const row of data) {
    if (row.cells.length !== width) {
      throw new FormatError(
        `${path}, line ${row.line}: ragged row; expected ${width} columns as in ${widthFrom}. Received: columns=${row.cells.length}`,
      );
    }
  }
  if (width < 2) {
    throw new FormatError(
      `${path}: need at least one feature column and a label column. Received: columns=${width}`,
    );
  }
  const labelColumn = resolveLabel(path, options.label, names, width);
  const where = (row: CsvRow, c: number): string =>
    `${path}, line ${row.line}, column ${c + 1}${names === undefined ? '' : ` ("${names[c]}")`}`;

  const featureColumns = Array.from({ length: width }, (_, c) => c).filter(
    (c) => c !== labelColumn,
  );
  const d = featureColumns.length;
  const shared = options.shared === true;
  const features = allocate('float32', data.length * d, shared);
  data.forEach((row, r) => {
    featureColumns.forEach((c, j) => {
      features[r * d + j] = parseCsvNumber(row.cells[c]!, where(row, c));
    });
  });

  const labels = data.map((row) => row.cells[labelColumn]!);
  data.forEach((row, r) => {
    if (labels[r] === '')
      throw new FormatError(`${where(row, labelColumn)}: the label is empty. Received: cell=""`);
  });
  const task =
    options.task ?? (options.classNames === undefined ? inferTask(labels) : 'classification');
  const common = {
    name: options.name ?? basename(path, extname(path)),
    featureShape: [d],
    features,
    ...(names === undefined ? {} : { featureNames: featureColumns.map((c) => names[c]!) }),
  };

  if (task === 'regression') {
    const targets = allocate('float32', data.length, shared);
    data.forEach((row, r) => {
      if (!isNumber(labels[r]!)) {
        throw new FormatError(
          `${where(row, labelColumn)}: a regression target must be a number. Received: cell=${quoteCell(labels[r]!)}`,
        );
      }
      targets[r] = parseCsvNumber(labels[r]!, where(row, labelColumn));
    });
    return new Dataset({ ...common, task, targetShape: [1], targets });
  }

  const numeric = labels.every(isNumber);
  const keys = numeric ? labels.map((l) => String(Number(l))) : labels;
  let classNames: string[];
  if (options.classNames !== undefined) {
    classNames = [...options.classNames];
  } else {
    const distinct = [...new Set(keys)];
    classNames = numeric
      ? distinct.sort((a, b) => Number(a) - Number(b))
      : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (classNames.length < 2) {
      throw new FormatError(
        `${path}, column ${labelColumn + 1}${names === undefined ? '' : ` ("${names[labelColumn]}")`}: classification needs at least 2 classes, but every row has the label ${JSON.stringify(labels[0])}. Received: classes=1`,
      );
    }
  }
  const ids = new Map(classNames.map((n, i) => [n, i]));
  const targets = allocate('int32', data.length, shared);
  data.forEach((row, r) => {
    const id = ids.get(keys[r]!) ?? ids.get(labels[r]!);
    if (id === undefined) {
      throw new FormatError(
        `${where(row, labelColumn)}: label ${JSON.stringify(labels[r])} is not one of the classes ${JSON.stringify(classNames)}`,
      );
    }
    targets[r] = id;
  });
  return new Dataset({ ...common, task, targets, classNames });
}
