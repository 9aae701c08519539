/**
 * Which column of a `predict --input` CSV holds each of the model's features, given the
 * header row:
 *
 * 1. By name, when every feature the model was trained on is named in the header. Names
 *    match ignoring case and separators (`sepal_length`, `Sepal Length` and `SepalLength`
 *    are one name); the columns may come in any order.
 * 2. By position, when no header name is a feature name but the header has exactly as many
 *    columns as the model has features (a label column, named so, set aside): the caller
 *    prints the returned note.
 * 3. Otherwise the file is refused, naming what the model takes and what the header holds.
 *
 * The training label column (or one named `label`) is ignored in every case.
 */
import { FormatError } from '@tessera/core';

/** What the model expects of the header. */
export interface HeaderColumnsArgs {
  /** The CSV file, for messages. */
  path: string;
  /** The header row's cells. */
  header: readonly string[];
  /** Values per example the model takes. */
  featureSize: number;
  /** Names of the feature columns in training order, when the training data had them. */
  featureNames?: readonly string[] | undefined;
  /** Name of the training label column. */
  labelName?: string | undefined;
}

/** The input column of each feature, and a note when they were taken by position. */
export interface HeaderColumns {
  columns: number[];
  /** One line for stderr when the columns were taken by position. */
  note?: string;
}

/** A column name as compared: lower case, letters and digits only. */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/** The column of each feature; see the module comment. */
export function headerColumns(args: HeaderColumnsArgs): HeaderColumns {
  const { path, header, featureSize, featureNames, labelName } = args;
  const duplicate = header.find((name, i) => header.indexOf(name) !== i);
  if (duplicate !== undefined)
    throw new FormatError(`${path}, line 1: column "${duplicate}" appears twice in the header`);
  const ignored = new Set(['label', ...(labelName === undefined ? [] : [labelName])].map(nameKey));
  const kept = header.map((_, i) => i).filter((i) => !ignored.has(nameKey(header[i]!)));
  const labelNote = labelName === undefined ? '' : ` (a "${labelName}" column is ignored)`;

  if (featureNames === undefined || featureNames.length !== featureSize) {
    if (kept.length !== featureSize) {
      throw new FormatError(
        `${path}: expected ${featureSize} feature columns (plus an optional label column). Received: columns=${kept.length}`,
      );
    }
    return { columns: kept };
  }

  const keys = kept.map((i) => nameKey(header[i]!));
  const unique = keys.every((k, i) => keys.indexOf(k) === i);
  const found = featureNames.map((name) =>
    unique ? kept[keys.indexOf(nameKey(name))] : kept.find((i) => header[i] === name),
  );
  const missing = featureNames.filter((_, j) => found[j] === undefined);
  const extra = kept.filter((i) => !found.includes(i)).map((i) => header[i]!);
  if (missing.length === 0 && extra.length === 0) return { columns: found as number[] };

  if (missing.length === featureSize && kept.length === featureSize) {
    return {
      columns: kept,
      note: `note: ${path}: no header name matches the model's features ${quoted(featureNames)}; reading the ${featureSize} columns ${quoted(kept.map((i) => header[i]!))} by position`,
    };
  }
  const takes = `the model takes ${quoted(featureNames)}${labelNote}, matched by name ignoring case and separators, or by position when no column is named after a feature and there are exactly ${featureSize}`;
  if (missing.length > 0) {
    throw new FormatError(
      `${path}: the header lacks the feature column(s) ${quoted(missing)}; ${takes}. Received: header=${JSON.stringify(header)}`,
    );
  }
  throw new FormatError(
    `${path}: unexpected column(s) ${quoted(extra)}; ${takes}. Received: header=${JSON.stringify(header)}`,
  );
}
