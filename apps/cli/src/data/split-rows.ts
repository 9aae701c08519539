/**
 * How `train` cuts its rows, and the checks that no part comes out empty. A CSV has no
 * test split, so `train` holds out a fixed 20 % of its rows for the test (Dataset.split:
 * the training part keeps round(rows · 0.8)); `--validation-split F` then holds out the
 * last rows of the training part (the trainer's validationSplitSizes: ⌊rows · (1 − F)⌋
 * train, so the held-out rows are rounded up). Both checks run before any worker starts
 * and say what the CLI does and how many rows it needs, rather than letting a library
 * refuse a fraction the user never gave.
 */
import { ValueError } from '@tessera/core';
import { validationSplitSizes } from '@tessera/trainer';

/** Share of a CSV's rows used for training (the rest is the test part). */
export const CSV_TRAIN_FRACTION = 0.8;

const TEST_PERCENT = Math.round((1 - CSV_TRAIN_FRACTION) * 100);

/** Rows of a CSV of `rows` rows that train: Dataset.split's first part, round(rows · 0.8). */
export function csvTrainRows(rows: number): number {
  return Math.round(rows * CSV_TRAIN_FRACTION);
}

/** True when both the training and the test part of a CSV of `rows` rows hold a row. */
function csvSplits(rows: number): boolean {
  const train = csvTrainRows(rows);
  return train >= 1 && train <= rows - 1;
}

/** True when `--validation-split fraction` leaves rows on both sides of `rows` training rows. */
function validationSplits(rows: number, fraction: number): boolean {
  if (fraction === 0) return true;
  const { train, validation } = validationSplitSizes(rows, fraction);
  return train >= 1 && validation >= 1;
}

/**
 * The fewest rows a CSV needs for `train` (with `--validation-split fraction`), or
 * undefined when no CSV this side of 2³¹ rows would do. Whether the rows suffice only
 * changes from no to yes as they grow, so a binary search finds the first that does.
 */
export function minimumCsvRows(fraction = 0): number | undefined {
  const enough = (rows: number): boolean =>
    csvSplits(rows) && validationSplits(csvTrainRows(rows), fraction);
  let low = 1;
  let high = 2 ** 31;
  if (!enough(high)) return undefined;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (enough(mid)) high = mid;
    else low = mid + 1;
  }
  return low;
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Refuses a CSV too small for the test split; `spec` is how the user named it. */
export function checkCsvRows(spec: string, rows: number): void {
  if (csvSplits(rows)) return;
  throw new ValueError(
    `--dataset ${spec} has ${plural(rows, 'row')}: train holds out ${TEST_PERCENT} % of a CSV's rows for the test and trains on the rest, so it needs at least ${minimumCsvRows()} rows`,
  );
}

/** What `checkValidationSplit` needs to know about the data. */
export interface ValidationSplitData {
  /** How the user named the data (`--dataset` value). */
  spec: string;
  /** A CSV (its rows are cut for the test first) or a built-in dataset. */
  kind: 'builtin' | 'csv';
  /** Rows of the training part, before validation is held out. */
  trainRows: number;
  /** Rows of the whole CSV (for a CSV). */
  csvRows?: number;
}

/**
 * Refuses a `--validation-split` (given, or the run's default) that leaves no training
 * or no validation row. 0 means no validation; any other fraction holds out at least one
 * row (it rounds up), so one that holds out none is an error rather than a silent "none".
 */
export function checkValidationSplit(fraction: number, data: ValidationSplitData): void {
  if (validationSplits(data.trainRows, fraction)) return;
  const flag = `--validation-split ${fraction}`;
  const rows = plural(data.trainRows, 'row');
  const where =
    data.kind === 'csv'
      ? `--dataset ${data.spec} has ${plural(data.csvRows ?? data.trainRows, 'row')}: train holds out ${TEST_PERCENT} % of a CSV's rows for the test and trains on the other ${rows}, and ${flag}`
      : `${flag} of the ${plural(data.trainRows, 'training row')} of --dataset ${data.spec}`;
  if (validationSplitSizes(data.trainRows, fraction).validation === 0) {
    throw new ValueError(
      `${where} holds out no row for validation; use 0 for no validation, or a larger fraction`,
    );
  }
  const least = data.kind === 'csv' ? minimumCsvRows(fraction) : undefined;
  const remedy =
    least === undefined
      ? 'choose a smaller fraction'
      : `with ${flag} it needs at least ${least} rows`;
  throw new ValueError(
    `${where} holds out all of them for validation (it rounds up to whole rows), leaving none to train on; ${remedy}`,
  );
}
